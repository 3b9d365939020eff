using YamlDotNet.RepresentationModel;

namespace ResponseFunctions.Tests.Deployment;

/// <summary>
/// azure.yaml names what exists: each service's project folder, with a host and language azd knows, the infra entry
/// point and the hook scripts. Source: "Azure Developer CLI's azure.yaml schema" (learn.microsoft.com/azure/developer/
/// azure-developer-cli/azd-schema): services.*.host is one of appservice, containerapp, function, staticwebapp, aks,
/// springapp, ai.endpoint; language one of dotnet, csharp, fsharp, py, python, js, ts, java, docker; infra.path
/// (default infra) and infra.module (default main) name the Bicep entry point.
/// </summary>
public sealed class AzureYamlTests
{
    private static readonly string[] Hosts = ["appservice", "containerapp", "function", "staticwebapp", "aks", "springapp", "ai.endpoint"];
    private static readonly string[] Languages = ["dotnet", "csharp", "fsharp", "py", "python", "js", "ts", "java", "docker"];

    private static YamlMappingNode Root()
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Repository.PathOf("azure.yaml")));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    [Fact]
    public void AzureYaml_Services_NameExistingProjectsWithKnownHostsAndLanguages()
    {
        var services = (YamlMappingNode)Root()["services"];

        Assert.NotEmpty(services.Children);
        foreach (var (name, value) in services.Children)
        {
            var service = (YamlMappingNode)value;
            var project = Scalar(service, "project") ?? throw new Xunit.Sdk.XunitException($"service {name} has no project");
            var folder = Path.GetFullPath(Path.Combine(Repository.Root, project));
            Assert.True(Directory.Exists(folder), $"service {name}: {project} does not exist");
            Assert.NotEmpty(Directory.GetFiles(folder, "*.csproj"));
            Assert.Contains(Scalar(service, "host"), Hosts);
            Assert.Contains(Scalar(service, "language"), Languages);
        }

        Assert.Equal("function", Scalar((YamlMappingNode)services["responsefunctions"], "host"));
    }

    [Fact]
    public void AzureYaml_Infra_NamesTheBicepEntryPoint()
    {
        var infra = (YamlMappingNode)Root()["infra"];

        Assert.Equal("bicep", Scalar(infra, "provider"));
        var entry = Path.Combine(Repository.Root, Scalar(infra, "path") ?? "infra", (Scalar(infra, "module") ?? "main") + ".bicep");
        Assert.True(File.Exists(entry), $"{entry} does not exist");
        Assert.True(File.Exists(Path.ChangeExtension(entry, ".parameters.json")), "azd binds parameters from main.parameters.json");
    }

    [Fact]
    public void AzureYaml_PostprovisionHook_RunsScriptsThatCallSetupPermissions()
    {
        var hook = (YamlMappingNode)Root()["hooks"]["postprovision"];

        foreach (var platform in new[] { "posix", "windows" })
        {
            var run = Scalar((YamlMappingNode)hook[platform], "run")!;
            var script = Path.Combine(Repository.Root, run);
            Assert.True(File.Exists(script), $"{run} does not exist");
            Assert.Contains("setup permissions --identity", File.ReadAllText(script).Replace("`\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MainParameters_BindEveryRequiredParameterOfMain()
    {
        var parameters = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Repository.PathOf("infra", "main.parameters.json")))!["parameters"]!.AsObject();
        var main = File.ReadAllLines(Repository.PathOf("infra", "main.bicep"));
        var required = main.Where(l => l.StartsWith("param ", StringComparison.Ordinal) && !l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split(' ')[1])
            .ToList();

        Assert.Contains("environmentName", required);
        Assert.All(required, p => Assert.True(parameters.ContainsKey(p), $"main.parameters.json does not bind required parameter {p}"));
        Assert.All(parameters.Select(p => p.Key), p => Assert.Contains(main, l => l.StartsWith($"param {p} ", StringComparison.Ordinal)));
    }
}
