using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Intake;
using ResponseFunctions.Playbook.Intake.IdentityProtection;

namespace ResponseFunctions.Intake;

/// <summary>
/// Every five minutes: Identity Protection risk detections since the stored watermark start Case 1 (and 5) for their
/// users (see <see cref="RiskDetectionPoller"/>). Does nothing unless <c>Intake:IdentityProtection:Enabled</c> is true.
/// </summary>
public sealed partial class PollIdentityProtection(RiskDetectionPoller poller, IOptions<IdentityProtectionOptions> options, ILogger<PollIdentityProtection> logger)
{
    public const string Name = "PollIdentityProtection";

    /// <summary>Five minutes: real-time detections take minutes to appear, offline ones hours; a tighter poll buys little.</summary>
    public const string Schedule = "0 */5 * * * *";

    [Function(Name)]
    public async Task Run([TimerTrigger(Schedule)] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var result = await poller.PollAsync(new DurableContainmentStarter(client), context.CancellationToken);
        LogPolled(result.Outcomes.Count, result.Outcomes.Count(o => o.Status == IntakeStatus.Started), result.Outcomes.Count(o => o.Status == IntakeStatus.Duplicate));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Identity Protection: {Detections} new detection(s), {Started} containment(s) started, {Duplicates} duplicate(s)")]
    private partial void LogPolled(int detections, int started, int duplicates);
}
