using ResponseFunctions.Playbook.Cases.CompromisedAccount;

namespace ResponseFunctions.Playbook.Tests.Support;

/// <summary>A real strong generator that remembers what it generated, so tests can prove a password never leaks anywhere.</summary>
internal sealed class RecordingPasswordGenerator : IPasswordGenerator
{
    private readonly StrongPasswordGenerator _inner = new();
    private readonly List<string> _generated = [];

    public IReadOnlyList<string> Generated => _generated;

    public string Generate()
    {
        var password = _inner.Generate();
        _generated.Add(password);
        return password;
    }
}
