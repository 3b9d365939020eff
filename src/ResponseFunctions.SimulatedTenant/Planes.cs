using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant;

/// <summary>Every service the simulated tenant speaks besides Microsoft Graph (which <see cref="GraphApi"/> routes). One line per plane.</summary>
internal static class Planes
{
    public static IReadOnlyList<ISimulatedPlane> All() =>
    [
        new Teams.TeamsWebhookPlane(),
        new Exchange.ExchangePlane(),
        new Arm.ArmPlane(),
        new AzureCloud.ArmResourcePlane(),
        new AzureCloud.KeyVaultPlane(),
        new AzureCloud.LogAnalyticsPlane(),
    ];
}
