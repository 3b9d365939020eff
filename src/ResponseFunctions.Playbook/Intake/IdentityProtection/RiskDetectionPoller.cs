using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;

namespace ResponseFunctions.Playbook.Intake.IdentityProtection;

/// <summary>
/// Polls Identity Protection: risk detections since the watermark (<c>detectedDateTime ge</c>, every page) and the
/// risky users, triages each detection in detection order, starts Case 1 (and 5) for the ones that call for it —
/// one containment per user per window — and moves the watermark after each detection handled.
/// </summary>
public sealed partial class RiskDetectionPoller(
    GraphServiceClient graph,
    IWatermarkStore watermarks,
    IntakeDispatcher dispatcher,
    IOptions<IdentityProtectionOptions> options,
    TimeProvider time,
    ILogger<RiskDetectionPoller> logger)
{
    public const string WatermarkName = "identity-protection-risk-detections";

    public async Task<RiskPollResult> PollAsync(IContainmentStarter starter, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var watermark = await watermarks.ReadAsync(WatermarkName, cancellationToken)
            ?? new Watermark(settings.Since ?? time.GetUtcNow() - settings.InitialLookback, []);
        var detections = await ListDetectionsAsync(watermark.At, settings.PageSize, cancellationToken);
        var riskyUsers = detections.Count == 0 ? [] : await ListRiskyUsersAsync(cancellationToken);

        var outcomes = new List<IntakeOutcome>();
        foreach (var detection in detections.OrderBy(d => d.DetectedDateTime).ThenBy(d => d.Id, StringComparer.Ordinal))
        {
            if (detection is not { Id: { } id, DetectedDateTime: { } at })
            {
                continue;
            }

            // "ge" brings back the detections at exactly the watermark: the ones handled last time are skipped by id.
            if (at < watermark.At || (at == watermark.At && watermark.IdsAtWatermark.Contains(id, StringComparer.Ordinal)))
            {
                continue;
            }

            var triage = RiskTriage.Triage(detection, riskyUsers.GetValueOrDefault(detection.UserId ?? ""), settings);
            var incidentId = IntakeIds.ForRisk(detection.UserId ?? "unknown", IntakeIds.WindowStart(at, settings.Window));
            outcomes.Add(await dispatcher.DispatchAsync(triage, incidentId, IncidentSource.IdentityProtection, $"risk-detection/{id}", starter, cancellationToken));

            watermark = at == watermark.At ? watermark with { IdsAtWatermark = [.. watermark.IdsAtWatermark, id] } : new Watermark(at, [id]);
            await watermarks.WriteAsync(WatermarkName, watermark, cancellationToken);
        }

        LogPolled(detections.Count, outcomes.Count(o => o.Status == IntakeStatus.Started), watermark.At);
        return new RiskPollResult(outcomes, watermark);
    }

    private async Task<List<RiskDetection>> ListDetectionsAsync(DateTimeOffset since, int pageSize, CancellationToken cancellationToken)
    {
        var filter = $"detectedDateTime ge {since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)}";
        var page = await graph.IdentityProtection.RiskDetections.GetAsync(
            r =>
            {
                r.QueryParameters.Filter = filter;
                r.QueryParameters.Top = pageSize;
            },
            cancellationToken);
        var all = new List<RiskDetection>(page?.Value ?? []);
        while (page?.OdataNextLink is { } next)
        {
            page = await graph.IdentityProtection.RiskDetections.WithUrl(OnOurBase(next)).GetAsync(cancellationToken: cancellationToken);
            all.AddRange(page?.Value ?? []);
        }

        return all;
    }

    private async Task<Dictionary<string, RiskyUser>> ListRiskyUsersAsync(CancellationToken cancellationToken)
    {
        var page = await graph.IdentityProtection.RiskyUsers.GetAsync(cancellationToken: cancellationToken);
        var all = new List<RiskyUser>(page?.Value ?? []);
        while (page?.OdataNextLink is { } next)
        {
            page = await graph.IdentityProtection.RiskyUsers.WithUrl(OnOurBase(next)).GetAsync(cancellationToken: cancellationToken);
            all.AddRange(page?.Value ?? []);
        }

        return all.Where(u => u.Id is not null).ToDictionary(u => u.Id!, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Follows a nextLink on the base URL the client was configured with: a page link names Graph's public host, and
    /// the token and transport configured for our base must not be bypassed (sovereign clouds, the simulated tenant).
    /// </summary>
    private string OnOurBase(string nextLink)
    {
        const string marker = "/v1.0/";
        var ours = graph.RequestAdapter.BaseUrl?.TrimEnd('/');
        var index = nextLink.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
        return ours is null || index < 0 ? nextLink : ours + "/" + nextLink[(index + marker.Length)..];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Identity Protection poll: {Detections} detection(s) read, {Started} containment(s) started, watermark {Watermark:o}")]
    private partial void LogPolled(int detections, int started, DateTimeOffset watermark);
}

/// <summary>What one poll did: every detection's outcome, and the watermark it left.</summary>
public sealed record RiskPollResult(IReadOnlyList<IntakeOutcome> Outcomes, Watermark Watermark);
