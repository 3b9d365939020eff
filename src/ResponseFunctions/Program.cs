using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResponseFunctions.Hosting;
using ResponseFunctions.Journal;
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
        services.AddContainmentTelemetry(configuration); // OpenTelemetry to Application Insights: Hosting/Telemetry.cs.

        // Rules of engagement: section "Containment", validated at start-up by the playbook.
        services.AddOptions<ContainmentPolicy>().Bind(configuration.GetSection(ContainmentPolicy.SectionName));
        services.AddSingleton(TimeProvider.System);
        services.AddContainmentPlaybook();

        // Microsoft Graph (or the simulated tenant when Graph:BaseUrl points at it), as the app's managed identity.
        services.AddSingleton(_ => PlaybookGraphClient.Create(
            GraphCredential.For(configuration),
            configuration["Graph:BaseUrl"] ?? PlaybookGraphClient.GraphBaseUrl));

        // Exchange Online admin API (Cases 4 and 5) for Exchange:TenantId, at Exchange:BaseUrl (the simulated tenant's root when drilling).
        // Without it, Case 4/5 steps report "not configured" and the other cases run: Hosting/ExchangeCredential.cs.
        ExchangeCredential.AddExchangeOnline(services, configuration);

        // The main courante (blob storage when Journal:BlobServiceUri / Journal:ConnectionString is set, else a folder),
        // spent approval links, and the approval page and Teams cards when configured: Journal/JournalStorage.cs.
        services.AddJournalAndApprovals(configuration);

        // Intake: Sentinel incidents (POST /api/intake/sentinel) and Identity Protection polling start containments: Intake/IntakeHosting.cs.
        ResponseFunctions.Intake.IntakeHosting.AddIntake(services, configuration);
    })
    .Build()
    .Run();
