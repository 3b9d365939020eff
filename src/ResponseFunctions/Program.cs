using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Hosting;
using ResponseFunctions.Hosting;
using ResponseFunctions.Intake;
using ResponseFunctions.Journal;
using ResponseFunctions.Playbook.Orchestration;

// The Functions host, as a table of contents. Everything it runs is in ResponseFunctions.Playbook; the functions
// here are HTTP and timer triggers only: Containments/ (start, status, decisions), Approvals/ (the approval page),
// Intake/ (Sentinel, Identity Protection), Journal/ (export).
var builder = FunctionsApplication.CreateBuilder(args);
var credential = new HostCredential(builder.Configuration);

// Rules of engagement (section "Containment", validated at start-up), the actions, Graph and Exchange Online: Hosting/PlaybookHosting.cs.
builder.Services.AddPlaybook(builder.Configuration, credential);

// The main courante, spent approval links, the approval page and Teams cards: Journal/JournalStorage.cs.
builder.Services.AddJournalAndApprovals(builder.Configuration, credential);

// Intake: Sentinel incidents and Identity Protection polling start containments: Intake/IntakeHosting.cs.
builder.Services.AddIntake(builder.Configuration, credential);

// The containment orchestrator and its activities, registered once (Playbook/Orchestration/ContainmentTasks.cs); the
// Durable extension turns each into a function (orchestration and activity triggers) of the same name.
builder.ConfigureDurableWorker().AddTasks(tasks => tasks.AddContainmentTasks());

builder.Build().Run();
