// Shared by every facade project (linked in by eng/facades/Directory.Build.props).
namespace ResponseFunctions.Facades;

/// <summary>The one error every behavioural member of a facade throws.</summary>
internal static class Facade
{
    public const string Message =
        "Compile-only facade; build without -p:UseFunctionsFacades=true to use the real package.";

    public static NotSupportedException NotSupported() => new(Message);
}
