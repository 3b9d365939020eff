using System.Net;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Graph;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount.ConditionalAccess;

/// <summary>1.e's evidence: the target users' recent sign-ins from the incident's addresses (optional: without AuditLog.Read.All, a warning).</summary>
/// <remarks>Graph: GET /auditLogs/signIns?$filter=userId eq …&amp;$top=100.</remarks>
public sealed class SignInEvidence(GraphServiceClient graph)
{
    public async Task<IReadOnlyList<Evidence>> ReadAsync(IncidentScope scope, List<string> warnings, CancellationToken cancellationToken)
    {
        var networks = scope.Ips.Select(IPNetwork.Parse).ToList();
        var evidence = new List<Evidence>();
        foreach (var user in scope.Users)
        {
            try
            {
                var page = await graph.AuditLogs.SignIns.GetAsync(r =>
                {
                    r.QueryParameters.Filter = ODataFilter.Eq("userId", user.Id);
                    r.QueryParameters.Top = 100;
                }, cancellationToken);
                foreach (var group in (page?.Value ?? [])
                             .Where(s => s.IpAddress is { } a && IPAddress.TryParse(a, out var address) && networks.Any(n => n.Contains(address)))
                             .GroupBy(s => s.IpAddress!))
                {
                    var place = group.First().Location is { } l ? $" ({l.City}, {l.CountryOrRegion})" : string.Empty;
                    evidence.Add(new Evidence($"Sign-ins of {user.Name} from {group.Key}{place}", $"{group.Count()}, last {group.Max(s => s.CreatedDateTime):u}"));
                }
            }
            catch (ODataError error) when (error.ResponseStatusCode is 403)
            {
                warnings.Add($"Sign-in logs are not readable ({GraphErrors.ToErrorInfo(error).Code}): grant AuditLog.Read.All for this evidence.");
                break;
            }
        }

        return evidence;
    }
}
