using ResponseFunctions.Facades;

namespace Microsoft.Extensions.Hosting;

// Only the overload the host uses. The others take IFunctionsWorkerApplicationBuilder / WorkerOptions, which the
// facade does not model: add them (with those types) if the host starts using them.
public static class WorkerHostBuilderExtensions
{
    public static IHostBuilder ConfigureFunctionsWorkerDefaults(this IHostBuilder builder) => throw Facade.NotSupported();
}
