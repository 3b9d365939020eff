using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Microsoft.Azure.Functions.Worker;

[AttributeUsage(AttributeTargets.Parameter)]
public sealed class HttpTriggerAttribute : TriggerBindingAttribute
{
    public HttpTriggerAttribute()
    {
    }

    public HttpTriggerAttribute(params string[] methods)
    {
        this.Methods = methods;
    }

    public HttpTriggerAttribute(AuthorizationLevel authLevel)
    {
        this.AuthLevel = authLevel;
    }

    public HttpTriggerAttribute(AuthorizationLevel authLevel, params string[] methods)
    {
        this.AuthLevel = authLevel;
        this.Methods = methods;
    }

    public string? Route { get; set; }

    public string[]? Methods { get; }

    public AuthorizationLevel AuthLevel { get; }
}

public enum AuthorizationLevel
{
    Anonymous = 0,
    User = 1,
    Function = 2,
    System = 3,
    Admin = 4,
}
