namespace ResponseFunctions.SimulatedTenant;

/// <summary>What the simulated tenant serves, listed for the conformance check against Microsoft's published contracts.</summary>
public static class SimulatedSurface
{
    /// <summary>Every Graph v1.0 route (method, template relative to /v1.0) the simulator answers.</summary>
    public static IReadOnlyList<(string Method, string Template)> GraphRoutes { get; } = [.. GraphApi.CreateRouter().Routes];

    /// <summary>What a "{collection}" route segment stands for: the typed authentication method collections.</summary>
    public static IReadOnlyList<string> AuthenticationMethodCollections { get; } = [.. Graph.Authentication.AuthenticationMethodKinds.Collections];

    /// <summary>Every Exchange Online cmdlet the simulated InvokeCommand plane runs, with the parameters it binds.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ExchangeCmdlets => Exchange.ExchangeCmdlets.Accepted;
}
