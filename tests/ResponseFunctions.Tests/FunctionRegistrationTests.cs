using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResponseFunctions.Hosting;

namespace ResponseFunctions.Tests;

/// <summary>
/// The function surface the Functions runtime will index, read as it reads it: the build's generated metadata
/// provider plus the metadata transformers the app registers (the Durable extension adds the orchestrator and the
/// activities registered in the Durable Task registry). A renamed function or a lost attribute fails here.
/// </summary>
public sealed class FunctionRegistrationTests
{
    /// <summary>README, "Running the Functions app": every function, its trigger, and for HTTP its methods, route and auth level.</summary>
    private static readonly string[] Documented =
    [
        "StartContainment httpTrigger post containments Function",
        "GetContainment httpTrigger get containments/{id} Function",
        "DecideApproval httpTrigger post containments/{id}/approvals/{requestId} Function",
        "StartRelease httpTrigger post containments/{id}/release Function",
        "ExportJournal httpTrigger get containments/{id}/journal Function",
        "VerifyJournal httpTrigger get containments/{id}/journal/verify Function",
        "ApprovalPage httpTrigger get,post containments/{id}/approve Anonymous",
        "SentinelIntake httpTrigger post intake/sentinel Function",
        "PollIdentityProtection timerTrigger",
        "ContainmentOrchestrator orchestrationTrigger",
        "ContainmentWaveOrchestrator orchestrationTrigger",
        "ContainmentWaveGroupOrchestrator orchestrationTrigger",
        "Containment_Prepare activityTrigger",
        "Containment_PlanStep activityTrigger",
        "Containment_PlanSteps activityTrigger",
        "Containment_ApplySteps activityTrigger",
        "Containment_ApplyInOrder activityTrigger",
        "Containment_RecordMany activityTrigger",
        "Containment_RequestApproval activityTrigger",
        "Containment_ApplyStep activityTrigger",
        "Containment_VerifyStep activityTrigger",
        "Containment_Record activityTrigger",
        "Containment_ReportToIncident activityTrigger",
        "Containment_CheckAlertsAfterIsolation activityTrigger",
        "Containment_ReadJournalAnchor activityTrigger",
        "ReleaseOrchestrator orchestrationTrigger",
        "Release_Prepare activityTrigger",
        "Release_PlanStep activityTrigger",
        "Release_ApplyStep activityTrigger",
        "Release_VerifyStep activityTrigger",
    ];

    [Fact]
    public async Task FunctionSurface_AsTheRuntimeIndexesIt_IsExactlyWhatTheReadmeDocuments()
    {
        var surface = await IndexedFunctionsAsync();

        Assert.Equal(Documented.Order(StringComparer.Ordinal), surface.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task HttpTriggers_AllButTheApprovalPage_RequireAFunctionKey()
    {
        var anonymous = (await IndexedFunctionsAsync()).Where(f => f.Contains(" httpTrigger ", StringComparison.Ordinal) && !f.EndsWith(" Function", StringComparison.Ordinal));

        // The approval page is anonymous at the Functions level only because App Service Authentication fronts it.
        Assert.Equal(["ApprovalPage httpTrigger get,post containments/{id}/approve Anonymous"], anonymous);
    }

    private static async Task<IReadOnlyList<string>> IndexedFunctionsAsync()
    {
        var builder = Microsoft.Azure.Functions.Worker.Builder.FunctionsApplication.CreateBuilder([]);

        // The worker runs the app assembly's generated extension start-up (here: the Durable extension) when that assembly
        // is the entry point; under the test runner it is not, so it is run here, first, as the worker would.
        new WorkerExtensionStartupCodeExecutor().Configure(builder);
        builder.AddResponseFunctions();
        using var host = builder.Build();
        var functions = (await host.Services.GetRequiredService<IFunctionMetadataProvider>().GetFunctionMetadataAsync(AppContext.BaseDirectory)).ToList();
        foreach (var transformer in host.Services.GetServices<IFunctionMetadataTransformer>())
        {
            transformer.Transform(functions);
        }

        return [.. functions.Select(Describe)];
    }

    private static string Describe(IFunctionMetadata function)
    {
        var trigger = (function.RawBindings ?? []).Select(b => System.Text.Json.JsonDocument.Parse(b).RootElement)
            .Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
        var type = trigger.GetProperty("type").GetString();
        return type == "httpTrigger"
            ? $"{function.Name} {type} {string.Join(",", trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()))} {trigger.GetProperty("route").GetString()} {trigger.GetProperty("authLevel").GetString()}"
            : $"{function.Name} {type}";
    }
}
