using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ResponseFunctions.Hosting;
using ResponseFunctions.Http;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Approval.Teams;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Journal.Blob;

namespace ResponseFunctions.Journal;

/// <summary>
/// The main courante, the spent approval links and the approval channel. Storage is Azure Blob Storage when
/// <c>Journal:BlobServiceUri</c> (managed identity with Storage Blob Data Contributor on the account) or
/// <c>Journal:ConnectionString</c> is set: a hash-chained append blob per incident, outside the compromised tenant.
/// Otherwise local folders (one JSON Lines file per incident). Teams cards when <c>Teams:WebhookUrl</c> is set.
/// </summary>
internal static class JournalStorage
{
    public static IServiceCollection AddJournalAndApprovals(this IServiceCollection services, IConfiguration configuration, HostCredential credential)
    {
        var folder = configuration["Journal:Folder"] ?? JournalDefaults.Folder();
        if (BlobStoreFor(configuration, credential) is { } blobs)
        {
            // The chain key must not live in the storage account it protects: an app setting resolved from Key Vault.
            var key = configuration["Journal:ChainKey"] is { Length: > 0 } chainKey
                ? JournalChainKey.FromBase64(chainKey)
                : throw new InvalidOperationException("Journal:ChainKey (base64 of at least 32 bytes, a Key Vault reference) is required with blob journal storage.");
            var journal = new BlobJournal(blobs, key, configuration["Journal:Container"] ?? BlobJournal.DefaultContainer);
            services.AddSingleton<IJournal>(journal);
            services.AddSingleton<IVerifiableJournal>(journal);
            services.AddSingleton<IApprovalTokenLedger>(new BlobTokenLedger(blobs));

            // The Global Administrator guard's lock (a blob lease) and untrusted users, shared by every instance of the app.
            services.AddSingleton<Playbook.Policy.ITenantGuardLedger>(new Playbook.Policy.BlobTenantGuardLedger(blobs));
        }
        else
        {
            services.AddSingleton<IJournal>(new JsonLinesJournalFolder(folder));
            services.AddSingleton<IApprovalTokenLedger>(new FolderTokenLedger(Path.Combine(folder, "approval-links")));
        }

        // Whose decision it is: trusted only when App Service Authentication is verifiably on (Http/ApproverAuthentication.cs).
        services.AddSingleton(sp => ApproverAuthentication.FromConfiguration(configuration, sp.GetService<TimeProvider>() ?? TimeProvider.System));

        // The application approvers sign in with is protected from 2.a/2.b/2.f by default: the policy names it, or the host does.
        services.PostConfigure<Playbook.Policy.ContainmentPolicy>(policy =>
            policy.ApprovalApplicationId ??= ApproverAuthenticationSettings.From(configuration).ClientId);
        services.AddOptions<ApprovalOptions>().Bind(configuration.GetSection(ApprovalOptions.SectionName));
        services.AddOptions<TeamsOptions>().Bind(configuration.GetSection(TeamsOptions.SectionName));
        var approvals = configuration.GetSection(ApprovalOptions.SectionName).Get<ApprovalOptions>() ?? new ApprovalOptions();
        if (approvals.KeyBytes() is not null)
        {
            services.AddApprovalPage();
        }

        if (!string.IsNullOrWhiteSpace(configuration["Teams:WebhookUrl"]))
        {
            // Cards link to the page: without a key and a public URL every card would be useless, so refuse to start.
            services.AddOptions<ApprovalOptions>()
                .Validate(o => o.KeyBytes() is not null, "Approvals:SigningKey must be base64 of at least 32 bytes when Teams:WebhookUrl is set.")
                .Validate(o => o.PageBaseUrl is { Scheme: "https" }, "Approvals:PageBaseUrl must be the app's https URL when Teams:WebhookUrl is set.")
                .ValidateOnStart();
            services.AddTeamsApprovalNotifier();
        }

        return services;
    }

    private static BlobStore? BlobStoreFor(IConfiguration configuration, HostCredential credential)
    {
        return configuration["Journal:BlobServiceUri"] is { Length: > 0 } serviceUri
            ? BlobStore.WithCredential(new Uri(serviceUri), credential.Azure)
            : configuration["Journal:ConnectionString"] is { Length: > 0 } connectionString
                ? BlobStore.FromConnectionString(connectionString)
                : null;
    }
}
