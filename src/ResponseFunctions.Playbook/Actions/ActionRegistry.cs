using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Actions;

/// <summary>The built actions by sheet id. A catalog action with no implementation yet answers with <see cref="NotBuiltAction"/>.</summary>
public sealed class ActionRegistry
{
    private readonly Dictionary<ActionId, IContainmentAction> _actions;

    public ActionRegistry(IEnumerable<IContainmentAction> actions)
    {
        _actions = actions.ToDictionary(a => a.Id);
        foreach (var id in _actions.Keys.Where(id => !ActionCatalog.Contains(id)))
        {
            throw new InvalidOperationException($"Action {id} is registered but not in the catalog.");
        }
    }

    public IContainmentAction Get(ActionId id) =>
        _actions.TryGetValue(id, out var action) ? action : new NotBuiltAction(ActionCatalog.Get(id));

    public bool IsBuilt(ActionId id) => _actions.ContainsKey(id);
}
