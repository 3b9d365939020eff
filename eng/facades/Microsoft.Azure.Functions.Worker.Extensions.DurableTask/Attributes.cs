using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Microsoft.Azure.Functions.Worker;

[AttributeUsage(AttributeTargets.Parameter)]
public sealed class OrchestrationTriggerAttribute : TriggerBindingAttribute
{
    public OrchestrationTriggerAttribute()
    {
    }

    public string? Orchestration { get; set; }
}

[AttributeUsage(AttributeTargets.Parameter)]
public sealed class ActivityTriggerAttribute : TriggerBindingAttribute
{
    public ActivityTriggerAttribute()
    {
    }

    public string? Activity { get; set; }
}

[AttributeUsage(AttributeTargets.Parameter)]
public sealed class DurableClientAttribute : InputBindingAttribute
{
    public DurableClientAttribute()
    {
    }

    public string? TaskHub { get; set; }

    public string? ConnectionName { get; set; }
}
