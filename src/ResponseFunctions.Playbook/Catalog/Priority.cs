namespace ResponseFunctions.Playbook.Catalog;

/// <summary>The sheet's priority table: every P0 action of a case runs before any P1 action.</summary>
public enum Priority
{
    P0 = 0,
    P1 = 1,
}
