using System.Text;
using System.Text.Json;

namespace ResponseFunctions.Playbook.Approval.Links;

/// <summary>
/// The signed-in user as App Service Authentication (Easy Auth) passes it: <c>X-MS-CLIENT-PRINCIPAL</c> (base64 JSON
/// with auth_typ, claims[{typ,val}], name_typ, role_typ), <c>X-MS-CLIENT-PRINCIPAL-ID</c> and <c>-NAME</c>. The
/// platform strips these headers from client requests, so they can be trusted only behind Easy Auth.
/// </summary>
public sealed record ClientPrincipal(string Id, string Name, IReadOnlyList<string> Roles)
{
    public const string Header = "X-MS-CLIENT-PRINCIPAL";
    public const string IdHeader = "X-MS-CLIENT-PRINCIPAL-ID";
    public const string NameHeader = "X-MS-CLIENT-PRINCIPAL-NAME";

    private const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    private const string RoleClaim = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";

    public bool HasRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>The principal, or null when the header is absent or unreadable: the caller is then not signed in.</summary>
    public static ClientPrincipal? FromHeaders(string? principal, string? id, string? name)
    {
        if (string.IsNullOrWhiteSpace(principal) || principal.Length > 64 * 1024)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(principal.Trim())));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var roleType = root.TryGetProperty("role_typ", out var rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString() : null;
            var nameType = root.TryGetProperty("name_typ", out var nt) && nt.ValueKind == JsonValueKind.String ? nt.GetString() : null;
            var pairs = claims.EnumerateArray()
                .Where(c => c.ValueKind == JsonValueKind.Object)
                .Select(c => (Type: Text(c, "typ"), Value: Text(c, "val")))
                .Where(c => c.Type is not null && c.Value is not null)
                .ToList();

            string? Claim(params string?[] types) => pairs.FirstOrDefault(p => types.Contains(p.Type, StringComparer.Ordinal)).Value;

            var roles = pairs.Where(p => p.Type == "roles" || p.Type == RoleClaim || (roleType is not null && p.Type == roleType)).Select(p => p.Value!).Distinct().ToList();
            var objectId = Claim(ObjectIdClaim, "oid") ?? id;
            var displayName = name ?? Claim(nameType, "preferred_username", "name");
            return string.IsNullOrWhiteSpace(objectId) || string.IsNullOrWhiteSpace(displayName)
                ? null
                : new ClientPrincipal(objectId.Trim(), displayName.Trim(), roles);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement claim, string property) =>
        claim.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
