using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using ResponseFunctions.Containments;
using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Tests;

/// <summary>What the Functions runtime will index: names from the playbook's constants, keys on every HTTP trigger.</summary>
public sealed class FunctionRegistrationTests
{
    private static readonly IReadOnlyList<(string Name, MethodInfo Method)> Functions =
        [.. typeof(StartContainment).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Attribute: m.GetCustomAttribute<FunctionAttribute>(), Method: m))
            .Where(f => f.Attribute is not null)
            .Select(f => (f.Attribute!.Name, f.Method))];

    [Fact]
    public void Activities_EveryPlaybookActivity_HasOneActivityFunctionUnderItsName()
    {
        var names = typeof(PlaybookActivities).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.EndsWith("Name", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.Equal(8, names.Count);
        foreach (var name in names)
        {
            var function = Assert.Single(Functions, f => f.Name == name);
            Assert.Contains(function.Method.GetParameters(), p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null);
        }
    }

    [Fact]
    public void Orchestrator_IsRegisteredUnderThePlaybooksName()
    {
        var function = Assert.Single(Functions, f => f.Name == ContainmentOrchestration.Name);

        Assert.Contains(function.Method.GetParameters(), p => p.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null);
    }

    [Fact]
    public void HttpTriggers_All_RequireAFunctionKey()
    {
        // The approval page is the one exception (Anonymous behind App Service Authentication): see its own test.
        var triggers = Functions
            .Where(f => f.Name != ResponseFunctions.Approvals.ApprovalPageFunction.Name)
            .SelectMany(f => f.Method.GetParameters())
            .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>())
            .OfType<HttpTriggerAttribute>()
            .ToList();

        Assert.Equal(6, triggers.Count);
        Assert.All(triggers, t => Assert.Equal(AuthorizationLevel.Function, t.AuthLevel));
    }

    [Fact]
    public void ApprovalPage_IsTheOnlyAnonymousTrigger_BecauseEasyAuthFrontsIt()
    {
        var anonymous = Functions
            .Where(f => f.Method.GetParameters().Any(p => p.GetCustomAttribute<HttpTriggerAttribute>()?.AuthLevel == AuthorizationLevel.Anonymous))
            .Select(f => f.Name);

        Assert.Equal([ResponseFunctions.Approvals.ApprovalPageFunction.Name], anonymous);
    }

    [Fact]
    public void FunctionNames_AreUnique()
    {
        Assert.Equal(Functions.Count, Functions.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }
}
