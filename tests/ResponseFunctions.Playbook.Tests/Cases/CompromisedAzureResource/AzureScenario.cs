namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAzureResource;

/// <summary>The Case 3 scenarios' resources (see Scenarios/cryptominer-vm, exposed-storage, webshell-app).</summary>
internal static class AzureScenario
{
    public const string Workspace = "4f2a9c1e-6b3d-4e8f-9a7c-2d1b0e3f5a6c";
    public const string ResourceGroup = "/subscriptions/7c3e1f5a-2b4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg-prod-weu";
    public const string Vm = ResourceGroup + "/providers/Microsoft.Compute/virtualMachines/vm-build-01";
    public const string Nic1 = ResourceGroup + "/providers/Microsoft.Network/networkInterfaces/vm-build-01-nic1";
    public const string Nic2 = ResourceGroup + "/providers/Microsoft.Network/networkInterfaces/vm-build-01-nic2";
    public const string PreviousNsg = ResourceGroup + "/providers/Microsoft.Network/networkSecurityGroups/nsg-build-weu";
    public const string IsolationNsg = ResourceGroup + "/providers/Microsoft.Network/networkSecurityGroups/responsefunctions-isolation-westeurope";
    public const string Storage = ResourceGroup + "/providers/Microsoft.Storage/storageAccounts/stcontosoexports";
    public const string Site = ResourceGroup + "/providers/Microsoft.Web/sites/app-contoso-portal";
    public const string Vault = "kv-contoso-portal";
}
