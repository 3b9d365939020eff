using Microsoft.Graph.Models;

namespace ResponseFunctions.SimulatedTenant.Graph.Authentication;

/// <summary>Ties each method kind to its typed collection segment and to the SDK model Graph returns for it.</summary>
internal static class AuthenticationMethodKinds
{
    private static readonly Dictionary<string, AuthenticationMethodKind> ByCollection = new(StringComparer.OrdinalIgnoreCase)
    {
        ["passwordMethods"] = AuthenticationMethodKind.Password,
        ["phoneMethods"] = AuthenticationMethodKind.Phone,
        ["microsoftAuthenticatorMethods"] = AuthenticationMethodKind.MicrosoftAuthenticator,
        ["emailMethods"] = AuthenticationMethodKind.Email,
        ["fido2Methods"] = AuthenticationMethodKind.Fido2,
        ["softwareOathMethods"] = AuthenticationMethodKind.SoftwareOath,
        ["temporaryAccessPassMethods"] = AuthenticationMethodKind.TemporaryAccessPass,
        ["windowsHelloForBusinessMethods"] = AuthenticationMethodKind.WindowsHelloForBusiness,
        ["platformCredentialMethods"] = AuthenticationMethodKind.PlatformCredential,
        ["externalAuthenticationMethods"] = AuthenticationMethodKind.ExternalAuthentication,
    };

    public static IEnumerable<string> Collections => ByCollection.Keys;

    public static AuthenticationMethodKind? FromCollection(string segment) =>
        ByCollection.TryGetValue(segment, out var kind) ? kind : null;

    public static string OdataTypeName(AuthenticationMethodKind kind) => kind switch
    {
        AuthenticationMethodKind.Password => "passwordAuthenticationMethod",
        AuthenticationMethodKind.Phone => "phoneAuthenticationMethod",
        AuthenticationMethodKind.MicrosoftAuthenticator => "microsoftAuthenticatorAuthenticationMethod",
        AuthenticationMethodKind.Email => "emailAuthenticationMethod",
        AuthenticationMethodKind.Fido2 => "fido2AuthenticationMethod",
        AuthenticationMethodKind.SoftwareOath => "softwareOathAuthenticationMethod",
        AuthenticationMethodKind.TemporaryAccessPass => "temporaryAccessPassAuthenticationMethod",
        AuthenticationMethodKind.WindowsHelloForBusiness => "windowsHelloForBusinessAuthenticationMethod",
        AuthenticationMethodKind.PlatformCredential => "platformCredentialAuthenticationMethod",
        AuthenticationMethodKind.ExternalAuthentication => "externalAuthenticationMethod",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static AuthenticationMethod ToGraph(SimAuthenticationMethod m) => m.Type switch
    {
        AuthenticationMethodKind.Password => new PasswordAuthenticationMethod { Id = m.Id, CreatedDateTime = m.CreatedDateTime },
        AuthenticationMethodKind.Phone => new PhoneAuthenticationMethod
        {
            Id = m.Id,
            PhoneNumber = m.PhoneNumber,
            PhoneType = ParsePhoneType(m.PhoneType),
        },
        AuthenticationMethodKind.MicrosoftAuthenticator => new MicrosoftAuthenticatorAuthenticationMethod
        {
            Id = m.Id,
            DisplayName = m.DisplayName,
            DeviceTag = m.DeviceTag,
            PhoneAppVersion = m.PhoneAppVersion,
            CreatedDateTime = m.CreatedDateTime,
        },
        AuthenticationMethodKind.Email => new EmailAuthenticationMethod { Id = m.Id, EmailAddress = m.EmailAddress },
        AuthenticationMethodKind.Fido2 => new Fido2AuthenticationMethod
        {
            Id = m.Id,
            DisplayName = m.DisplayName,
            Model = m.Model,
            CreatedDateTime = m.CreatedDateTime,
        },
        AuthenticationMethodKind.SoftwareOath => new SoftwareOathAuthenticationMethod { Id = m.Id },
        AuthenticationMethodKind.TemporaryAccessPass => new TemporaryAccessPassAuthenticationMethod
        {
            Id = m.Id,
            CreatedDateTime = m.CreatedDateTime,
            StartDateTime = m.CreatedDateTime,
            LifetimeInMinutes = m.LifetimeInMinutes,
            IsUsableOnce = m.IsUsableOnce,
        },
        AuthenticationMethodKind.WindowsHelloForBusiness => new WindowsHelloForBusinessAuthenticationMethod
        {
            Id = m.Id,
            DisplayName = m.DisplayName,
            CreatedDateTime = m.CreatedDateTime,
        },
        AuthenticationMethodKind.PlatformCredential => new PlatformCredentialAuthenticationMethod
        {
            Id = m.Id,
            DisplayName = m.DisplayName,
            CreatedDateTime = m.CreatedDateTime,
        },

        // Microsoft.Graph 5.92 has no model for external authentication methods: emit the base type with the right discriminator.
        AuthenticationMethodKind.ExternalAuthentication => new AuthenticationMethod
        {
            Id = m.Id,
            OdataType = "#microsoft.graph.externalAuthenticationMethod",
            AdditionalData = new Dictionary<string, object> { ["displayName"] = m.DisplayName ?? "" },
        },
        _ => throw new ArgumentOutOfRangeException(nameof(m), m.Type, null),
    };

    private static AuthenticationPhoneType? ParsePhoneType(string? value) =>
        Enum.TryParse<AuthenticationPhoneType>(value, ignoreCase: true, out var type) ? type : null;
}
