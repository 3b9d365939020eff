using Microsoft.Graph;
using Microsoft.Graph.Models;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>
/// Graph has no generic "delete authentication method" route: each method type is deleted through its own
/// collection. This maps a listed method to that collection and calls the matching SDK request builder.
/// External MFA provider methods have no request builder in SDK 5.92 and are reported for manual removal.
/// </summary>
internal static class AuthenticationMethodKinds
{
    private static readonly Dictionary<string, (string Segment, string Label)> ByODataType = new(StringComparer.OrdinalIgnoreCase)
    {
        ["#microsoft.graph.phoneAuthenticationMethod"] = ("phoneMethods", "phone"),
        ["#microsoft.graph.microsoftAuthenticatorAuthenticationMethod"] = ("microsoftAuthenticatorMethods", "Microsoft Authenticator"),
        ["#microsoft.graph.fido2AuthenticationMethod"] = ("fido2Methods", "FIDO2 security key / passkey"),
        ["#microsoft.graph.softwareOathAuthenticationMethod"] = ("softwareOathMethods", "software OATH token"),
        ["#microsoft.graph.emailAuthenticationMethod"] = ("emailMethods", "email (self-service password reset)"),
        ["#microsoft.graph.temporaryAccessPassAuthenticationMethod"] = ("temporaryAccessPassMethods", "temporary access pass"),
        ["#microsoft.graph.windowsHelloForBusinessAuthenticationMethod"] = ("windowsHelloForBusinessMethods", "Windows Hello for Business"),
        ["#microsoft.graph.platformCredentialAuthenticationMethod"] = ("platformCredentialMethods", "platform credential (macOS)"),
    };

    public const string PasswordODataType = "#microsoft.graph.passwordAuthenticationMethod";

    public static bool IsPassword(AuthenticationMethod method) =>
        method is PasswordAuthenticationMethod || string.Equals(method.OdataType, PasswordODataType, StringComparison.OrdinalIgnoreCase);

    public static (string Segment, string Label)? Of(AuthenticationMethod method) =>
        method.OdataType is { } type && ByODataType.TryGetValue(type, out var kind) ? kind : null;

    public static string Describe(AuthenticationMethod method) => method switch
    {
        PasswordAuthenticationMethod => "password",
        PhoneAuthenticationMethod phone => $"phone ({phone.PhoneType}) ending {Last4(phone.PhoneNumber)}",
        MicrosoftAuthenticatorAuthenticationMethod app => $"Microsoft Authenticator on \"{app.DisplayName}\"{Created(app.CreatedDateTime)}",
        EmailAuthenticationMethod email => $"email {MaskEmail(email.EmailAddress)}",
        Fido2AuthenticationMethod key => $"FIDO2 key \"{key.DisplayName}\"{Created(key.CreatedDateTime)}",
        SoftwareOathAuthenticationMethod => "software OATH token",
        TemporaryAccessPassAuthenticationMethod tap => $"temporary access pass{Created(tap.CreatedDateTime)}",
        WindowsHelloForBusinessAuthenticationMethod hello => $"Windows Hello on \"{hello.DisplayName}\"{Created(hello.CreatedDateTime)}",
        _ => Of(method)?.Label ?? method.OdataType ?? "unknown method",
    };

    public static Task DeleteAsync(GraphServiceClient graph, string userId, string segment, string methodId, CancellationToken cancellationToken)
    {
        var authentication = graph.Users[userId].Authentication;
        return segment switch
        {
            "phoneMethods" => authentication.PhoneMethods[methodId].DeleteAsync(cancellationToken: cancellationToken),
            "microsoftAuthenticatorMethods" => authentication.MicrosoftAuthenticatorMethods[methodId].DeleteAsync(cancellationToken: cancellationToken),
            "fido2Methods" => authentication.Fido2Methods[methodId].DeleteAsync(cancellationToken: cancellationToken),
            "softwareOathMethods" => authentication.SoftwareOathMethods[methodId].DeleteAsync(cancellationToken: cancellationToken),
            "emailMethods" => authentication.EmailMethods[methodId].DeleteAsync(cancellationToken: cancellationToken),
            "temporaryAccessPassMethods" => authentication.TemporaryAccessPassMethods[methodId].DeleteAsync(cancellationToken: cancellationToken),
            "windowsHelloForBusinessMethods" => authentication.WindowsHelloForBusinessMethods[methodId].DeleteAsync(cancellationToken: cancellationToken),
            "platformCredentialMethods" => authentication.PlatformCredentialMethods[methodId].DeleteAsync(cancellationToken: cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(segment), segment, "Not an authentication method collection."),
        };
    }

    /// <summary>An alternate mobile cannot outlive the mobile phone: delete it first.</summary>
    public static int DeletionRank(AuthenticationMethod method) => method switch
    {
        PhoneAuthenticationMethod { PhoneType: AuthenticationPhoneType.AlternateMobile } => 0,
        PhoneAuthenticationMethod { PhoneType: AuthenticationPhoneType.Mobile } => 2,
        _ => 1,
    };

    private static string Last4(string? number) =>
        new string([.. (number ?? string.Empty).Where(char.IsAsciiDigit)]) is { Length: >= 4 } digits ? digits[^4..] : "?";

    private static string MaskEmail(string? address) =>
        address?.IndexOf('@', StringComparison.Ordinal) is > 1 and var at ? $"{address[0]}***{address[at..]}" : "***";

    private static string Created(DateTimeOffset? created) => created is { } at ? $", added {at:u}" : string.Empty;
}
