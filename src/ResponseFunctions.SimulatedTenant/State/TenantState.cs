using System.Text.Json;

namespace ResponseFunctions.SimulatedTenant;

/// <summary>
/// Thread-safe gate around the live <see cref="TenantModel"/>. Requests and tests run concurrently, so every read
/// and change happens under one lock; callers must not keep references to model objects after the delegate returns.
/// </summary>
public sealed class TenantState
{
    private readonly Lock _gate = new();
    private readonly TenantModel _model;

    public TenantState(TenantModel model) => _model = model;

    public T Read<T>(Func<TenantModel, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_gate)
        {
            return read(_model);
        }
    }

    public void Mutate(Action<TenantModel> mutate)
    {
        ArgumentNullException.ThrowIfNull(mutate);
        lock (_gate)
        {
            mutate(_model);
        }
    }

    public T Mutate<T>(Func<TenantModel, T> mutate)
    {
        ArgumentNullException.ThrowIfNull(mutate);
        lock (_gate)
        {
            return mutate(_model);
        }
    }

    /// <summary>Indented JSON of the whole state, in the scenario file format.</summary>
    public string ExportJson()
    {
        lock (_gate)
        {
            return JsonSerializer.Serialize(_model, StateJson.Options);
        }
    }
}
