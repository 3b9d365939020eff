using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Approval.Links;

namespace ResponseFunctions.Tests.Deployment;

/// <summary>infra/ compiled by the Bicep CLI: no warning anywhere, and the pieces the deployment relies on are there.</summary>
public sealed class BicepTemplateTests
{
    [Fact]
    public async Task Bicep_EveryFile_BuildsAndLintsWithoutWarnings()
    {
        var infra = await BicepCli.InfraAsync();

        Assert.True(infra.Build.Exit == 0, $"bicep build failed:\n{infra.Build.Error}");
        Assert.Equal(string.Empty, infra.Build.Error.Trim());
        Assert.True(infra.Lint.Exit == 0, $"bicep lint failed:\n{infra.Lint.Error}{infra.Lint.Output}");
        Assert.Equal(string.Empty, (infra.Lint.Error + infra.Lint.Output).Trim());
    }

    [Fact]
    public void Bicep_EveryModule_IsDeployedByMain()
    {
        var main = File.ReadAllText(Repository.PathOf("infra", "main.bicep"));
        var modules = Directory.GetFiles(Repository.PathOf("infra", "app"), "*.bicep").Select(Path.GetFileName).ToList();

        Assert.NotEmpty(modules);
        Assert.All(modules, module => Assert.Contains($"'app/{module}'", main, StringComparison.Ordinal));
    }

    [Fact]
    public async Task JournalAccount_IsWormWithSoftDelete_AndTheAppCanOnlyAppend()
    {
        var infra = await BicepCli.InfraAsync();
        var journal = infra.Module("journalStorage");

        var account = Assert.Single(CompiledInfra.ResourcesOfType(journal, "Microsoft.Storage/storageAccounts"));
        Assert.True((bool)account["properties"]!["immutableStorageWithVersioning"]!["enabled"]!);
        Assert.False((bool)account["properties"]!["allowSharedKeyAccess"]!);
        var blobService = Assert.Single(CompiledInfra.ResourcesOfType(journal, "Microsoft.Storage/storageAccounts/blobServices"));
        Assert.True((bool)blobService["properties"]!["isVersioningEnabled"]!);
        Assert.True((bool)blobService["properties"]!["deleteRetentionPolicy"]!["enabled"]!);
        Assert.True((bool)blobService["properties"]!["containerDeleteRetentionPolicy"]!["enabled"]!);

        var container = Assert.Single(CompiledInfra.ResourcesOfType(journal, "Microsoft.Storage/storageAccounts/blobServices/containers"),
            c => ((string)c["name"]!).Contains("journalContainerName", StringComparison.Ordinal));
        Assert.True((bool)container["properties"]!["immutableStorageWithVersioning"]!["enabled"]!);
        var policy = Assert.Single(CompiledInfra.ResourcesOfType(journal, "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies"));
        Assert.Contains("journalContainerName", (string)policy["name"]!, StringComparison.Ordinal);
        Assert.NotNull(policy["properties"]!["immutabilityPeriodSinceCreationInDays"]);
        Assert.True((bool)policy["properties"]!["allowProtectedAppendWrites"]!, "the journal is append blobs: appends must stay allowed");
        Assert.Equal("main-courante", (string)journal["parameters"]!["journalContainerName"]!["defaultValue"]!);

        // The app's only role on the journal account is Storage Blob Data Contributor: not Owner or Contributor
        // (control plane could shorten an unlocked policy), not Blob Data Owner (its blobs/* includes the
        // immutability super-user action).
        var roles = infra.Module("roles");
        var onJournal = CompiledInfra.Resources(roles)
            .Where(r => ((string?)r["scope"])?.Contains("journalStorageName", StringComparison.Ordinal) == true)
            .Select(r => (string)r["properties"]!["roleDefinitionId"]!)
            .ToList();
        var storageBlobDataContributor = (string)roles["variables"]!["roles"]!["storageBlobDataContributor"]!;
        Assert.Equal("ba92f5b4-2d11-453d-a403-e96b0029c9fe", storageBlobDataContributor);
        Assert.Equal(["[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('roles').storageBlobDataContributor)]"], onJournal);
    }

    [Fact]
    public async Task AuthSettings_RequireSignInOnTheApprovalPage_AndLeaveTheIntakeToItsFunctionKey()
    {
        var infra = await BicepCli.InfraAsync();
        var app = infra.Module("functionApp");
        var auth = Assert.Single(CompiledInfra.ResourcesOfType(app, "Microsoft.Web/sites/config"), r => ((string)r["name"]!).Contains("'authsettingsV2'", StringComparison.Ordinal));
        var validation = auth["properties"]!["globalValidation"]!;

        Assert.True((bool)auth["properties"]!["platform"]!["enabled"]!);
        Assert.True((bool)validation["requireAuthentication"]!);
        Assert.Contains("'RedirectToLoginPage'", (string)validation["unauthenticatedClientAction"]!, StringComparison.Ordinal);
        Assert.Equal("[parameters('approvalAppClientId')]", (string)auth["properties"]!["identityProviders"]!["azureActiveDirectory"]!["registration"]!["clientId"]!);

        var excluded = app["parameters"]!["anonymousPaths"]!["defaultValue"]!.AsArray().Select(p => (string)p!).ToList();
        var approvalPage = "/api/" + ApprovalLinks.Route.Replace("{id}", "containment-sentinel-42-0a1b2c3d", StringComparison.Ordinal);
        Assert.False(EasyAuthExcludes(excluded, approvalPage), $"{approvalPage} must require sign-in");
        Assert.False(EasyAuthExcludes(excluded, "/api/containments/containment-sentinel-42-0a1b2c3d/approvals/1a-user"), "approvals name their approver from Easy Auth");
        Assert.True(EasyAuthExcludes(excluded, "/api/intake/sentinel"), "the relay Logic App sends a function key, not a user token");
    }

    /// <summary>
    /// Easy Auth's excludedPaths: an exact path, or a prefix when the entry ends with "/*".
    /// Source: MicrosoftDocs/azure-docs issue 86514 (product team: "use /myfolder/subfolder/*"), "File-based configuration in Azure App Service authentication".
    /// </summary>
    private static bool EasyAuthExcludes(IEnumerable<string> excluded, string path) =>
        excluded.Any(e => e.EndsWith("/*", StringComparison.Ordinal)
            ? path.StartsWith(e[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(e, path, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public async Task AutomationRules_RunTheRelayLogicApp_OnIncidentCreationAndUpdate()
    {
        var infra = await BicepCli.InfraAsync();
        var sentinel = infra.Module("sentinel");
        var rule = Assert.Single(CompiledInfra.ResourcesOfType(sentinel, "Microsoft.SecurityInsights/automationRules"));
        var action = Assert.Single(rule["properties"]!["actions"]!.AsArray())!;

        Assert.Equal("RunPlaybook", (string)action["actionType"]!);
        Assert.Equal("[parameters('relayResourceId')]", (string)action["actionConfiguration"]!["logicAppResourceId"]!);
        Assert.Equal("Incidents", (string)rule["properties"]!["triggeringLogic"]!["triggersOn"]!);
        Assert.Equal("[length(createArray('Created', 'Updated'))]", (string)rule["copy"]!["count"]!);
        Assert.Equal("[createArray('Created', 'Updated')[copyIndex()]]", (string)rule["properties"]!["triggeringLogic"]!["triggersWhen"]!);
        Assert.Contains("IncidentRelatedAnalyticRuleIds", sentinel["variables"]!["conditions"]!.ToJsonString(), StringComparison.Ordinal);

        // The rule runs the relay main deploys, and that relay is the Logic App of infra/logicapp.
        Assert.Equal("[reference('relay').outputs.resourceId.value]", (string)infra.ModuleParameters("sentinel")["relayResourceId"]!["value"]!);
        var relay = infra.Module("relay");
        var workflow = Assert.Single(CompiledInfra.ResourcesOfType(relay, "Microsoft.Logic/workflows"));
        var shipped = JsonNode.Parse(File.ReadAllText(Repository.PathOf("infra", "logicapp", "sentinel-relay.workflow.json")))!["definition"]!;
        // loadJsonContent embeds the file as the variable $fxv#0; the workflow's definition is that file's.
        Assert.Equal("[variables('workflow').definition]", (string)workflow["properties"]!["definition"]!);
        Assert.True(JsonNode.DeepEquals(shipped, relay["variables"]!["$fxv#0"]!["definition"]), "the deployed workflow is the definition of infra/logicapp");
        Assert.Equal("SystemAssigned", (string)workflow["identity"]!["type"]!);
        Assert.Contains("3e150937-b8fe-4cfb-8069-0eaf05ecd056", sentinel["variables"]!["sentinelResponderRoleId"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_ReachTheAppAsKeyVaultReferences_NeverAsValues()
    {
        var infra = await BicepCli.InfraAsync();
        var settings = infra.ModuleParameters("functionApp")["appSettings"]!["value"]!.AsObject();

        foreach (var secret in new[] { "Approvals__SigningKey", "Journal__ChainKey", "Teams__WebhookUrl" })
        {
            var value = (string)settings[secret]!;
            Assert.Contains("@Microsoft.KeyVault(SecretUri=", value, StringComparison.Ordinal);
            Assert.DoesNotContain("parameters('approvalSigningKey')", value, StringComparison.Ordinal);
            Assert.DoesNotContain("parameters('teamsWebhookUrl'))", value.Replace("empty(parameters('teamsWebhookUrl'))", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        }

        // Secure parameters only ever flow into Key Vault secrets (and the host key resource), never into settings or outputs.
        var compiled = infra.Main.ToJsonString();
        foreach (var secure in new[] { "approvalSigningKey", "journalChainKey", "teamsWebhookUrl", "intakeFunctionKey" })
        {
            Assert.Equal("securestring", (string)infra.Main["parameters"]![secure]!["type"]!);
            Assert.DoesNotContain(secure, infra.Main["outputs"]!.ToJsonString(), StringComparison.Ordinal);
        }

        var app = infra.Module("functionApp");
        var site = Assert.Single(CompiledInfra.ResourcesOfType(app, "Microsoft.Web/sites"));
        Assert.Equal("[parameters('identityResourceId')]", (string)site["properties"]!["keyVaultReferenceIdentity"]!);
        Assert.Contains("\"enableRbacAuthorization\":true", compiled, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FunctionApp_IsFlexConsumptionDotnetIsolated10_WithTheUserAssignedIdentity()
    {
        var infra = await BicepCli.InfraAsync();
        var app = infra.Module("functionApp");
        var plan = Assert.Single(CompiledInfra.ResourcesOfType(app, "Microsoft.Web/serverfarms"));
        var site = Assert.Single(CompiledInfra.ResourcesOfType(app, "Microsoft.Web/sites"));

        Assert.Equal("FlexConsumption", (string)plan["sku"]!["tier"]!);
        Assert.Equal("dotnet-isolated", (string)site["properties"]!["functionAppConfig"]!["runtime"]!["name"]!);
        Assert.Equal("10.0", (string)site["properties"]!["functionAppConfig"]!["runtime"]!["version"]!);
        Assert.Equal("UserAssigned", (string)site["identity"]!["type"]!);
        Assert.Equal("UserAssignedIdentity", (string)site["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!["type"]!);
    }

    [Fact]
    public async Task Case3Role_GrantsExactlyTheActionsOfItsRoleFile_AtTheScopesTheUserNames()
    {
        var infra = await BicepCli.InfraAsync();
        var role = infra.Module("case3Role");
        var file = JsonNode.Parse(File.ReadAllText(Repository.PathOf("infra", "roles", "case3-responder.json")))!;
        var definition = Assert.Single(CompiledInfra.ResourcesOfType(role, "Microsoft.Authorization/roleDefinitions"));

        var permissions = Assert.Single(definition["properties"]!["permissions"]!.AsArray())!;
        Assert.Equal("[variables('role').Actions]", (string)permissions["actions"]!);
        Assert.Equal("[variables('role').DataActions]", (string)permissions["dataActions"]!);
        Assert.True(JsonNode.DeepEquals(file, role["variables"]!["$fxv#0"]), "the compiled role is the role file");
        Assert.Contains("parameters('assignableScopes')", definition["properties"]!["assignableScopes"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal("[parameters('case3Scopes')]", (string)infra.ModuleParameters("case3Role")["assignableScopes"]!["value"]!);

        var actions = file["Actions"]!.AsArray().Select(a => (string)a!).ToList();
        Assert.Equal(actions.Count, actions.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.DoesNotContain(actions, a => a.Contains('*', StringComparison.Ordinal));
        var dataActions = file["DataActions"]!.AsArray().Select(a => (string)a!).ToList();
        Assert.DoesNotContain("Microsoft.KeyVault/vaults/secrets/getSecret/action", dataActions);
    }
}
