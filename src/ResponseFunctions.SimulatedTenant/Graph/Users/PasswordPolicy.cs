namespace ResponseFunctions.SimulatedTenant.Graph.Users;

/// <summary>Entra ID's cloud password complexity: 8+ characters drawn from at least 3 of 4 character classes.</summary>
internal static class PasswordPolicy
{
    public const string ComplexityMessage =
        "The specified password does not comply with password complexity requirements. Please provide a different password.";

    public static bool IsComplexEnough(string password)
    {
        if (password.Length is < 8 or > 256)
        {
            return false;
        }

        var classes = 0;
        classes += password.Any(char.IsLower) ? 1 : 0;
        classes += password.Any(char.IsUpper) ? 1 : 0;
        classes += password.Any(char.IsDigit) ? 1 : 0;
        classes += password.Any(c => !char.IsLetterOrDigit(c)) ? 1 : 0;
        return classes >= 3;
    }
}
