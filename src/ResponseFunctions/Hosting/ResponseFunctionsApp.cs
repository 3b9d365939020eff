using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.DurableTask.Worker;
using ResponseFunctions.Intake;
using ResponseFunctions.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Release;

namespace ResponseFunctions.Hosting;

/// <summary>
/// The Functions app, as a table of contents. Everything it runs is in ResponseFunctions.Playbook; the functions of
/// this project are HTTP and timer triggers only: Containments/ (start, status, decisions), Approvals/ (the approval
/// page), Intake/ (Sentinel, Identity Protection), Journal/ (export). Program.cs and the tests compose the same app.
/// </summary>
public static class ResponseFunctionsApp
{
    public static FunctionsApplicationBuilder AddResponseFunctions(this FunctionsApplicationBuilder builder)
    {
        var credential = new HostCredential(builder.Configuration);

        // OpenTelemetry to Application Insights (containment spans and metrics, the worker's own): Telemetry.cs.
        builder.Services.AddContainmentTelemetry(builder.Configuration, credential);

        // Rules of engagement (section "Containment", validated at start-up), the actions, Graph and Exchange Online: PlaybookHosting.cs.
        builder.Services.AddPlaybook(builder.Configuration, credential);

        // The main courante, spent approval links, the approval page and Teams cards: Journal/JournalStorage.cs.
        builder.Services.AddJournalAndApprovals(builder.Configuration, credential);

        // Intake: Sentinel incidents and Identity Protection polling start containments: Intake/IntakeHosting.cs.
        builder.Services.AddIntake(builder.Configuration, credential);

        // The containment orchestrator and its activities, registered once (Playbook/Orchestration/ContainmentTasks.cs): the
        // Durable extension makes each a function (orchestration or activity trigger) of the same name.
        builder.ConfigureDurableWorker().AddTasks(tasks => tasks.AddContainmentTasks().AddReleaseTasks());
        return builder;
    }
}
