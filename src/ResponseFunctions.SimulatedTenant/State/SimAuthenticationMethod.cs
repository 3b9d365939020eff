namespace ResponseFunctions.SimulatedTenant;

/// <summary>The kinds of authentication method Graph v1.0 exposes, each with its own typed collection.</summary>
public enum AuthenticationMethodKind
{
    Password,
    Phone,
    MicrosoftAuthenticator,
    Email,
    Fido2,
    SoftwareOath,
    TemporaryAccessPass,
    WindowsHelloForBusiness,
    PlatformCredential,
    ExternalAuthentication,
}

/// <summary>
/// One registered method. A flat record (rather than one class per kind) keeps the scenario file simple;
/// only the properties relevant to <see cref="Type"/> are used.
/// </summary>
public sealed class SimAuthenticationMethod
{
    public string Id { get; set; } = "";
    public AuthenticationMethodKind Type { get; set; }
    public string? DisplayName { get; set; }
    public DateTimeOffset? CreatedDateTime { get; set; }

    /// <summary>Phone: number as Graph returns it, e.g. "+33 6 12 34 56 78".</summary>
    public string? PhoneNumber { get; set; }

    /// <summary>Phone: mobile, alternateMobile or office.</summary>
    public string? PhoneType { get; set; }

    /// <summary>Microsoft Authenticator.</summary>
    public string? DeviceTag { get; set; }
    public string? PhoneAppVersion { get; set; }

    /// <summary>Email.</summary>
    public string? EmailAddress { get; set; }

    /// <summary>FIDO2 authenticator model.</summary>
    public string? Model { get; set; }

    /// <summary>Temporary Access Pass.</summary>
    public int? LifetimeInMinutes { get; set; }
    public bool? IsUsableOnce { get; set; }
}
