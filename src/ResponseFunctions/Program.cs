using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResponseFunctions.Hosting;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Hosting;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Policy;

// The Functions host, as a table of contents. Functions: Containments/ (HTTP intake and approvals),
// Orchestration/ (the Durable orchestrator over the playbook's ContainmentOrchestration), Activities/ (one per
// playbook activity). Everything they run is in ResponseFunctions.Playbook.
new HostBuilder()
    .ConfigureFunctionsWorkerDefaults()
    .ConfigureServices((context, services) =>
    {
        var configuration = context.Configuration;

        // Rules of engagement: section "Containment", validated at start-up by the playbook.
        services.AddOptions<ContainmentPolicy>().Bind(configuration.GetSection(ContainmentPolicy.SectionName));
        services.AddSingleton(TimeProvider.System);
        services.AddContainmentPlaybook();

        // Microsoft Graph (or the simulated tenant when Graph:BaseUrl points at it), as the app's managed identity.
        services.AddSingleton(_ => PlaybookGraphClient.Create(
            GraphCredential.For(configuration),
            configuration["Graph:BaseUrl"] ?? PlaybookGraphClient.GraphBaseUrl));

        // The main courante: one JSON Lines file per incident.
        services.AddSingleton<IJournal>(_ => new JsonLinesJournalFolder(configuration["Journal:Folder"] ?? JournalDefaults.Folder()));
    })
    .Build()
    .Run();
