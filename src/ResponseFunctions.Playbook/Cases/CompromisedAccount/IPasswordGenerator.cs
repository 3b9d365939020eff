namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>Makes the one-time password 1.a sets. Kept behind an interface so tests can see it is never written anywhere.</summary>
public interface IPasswordGenerator
{
    string Generate();
}
