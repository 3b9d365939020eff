using ResponseFunctions.Playbook.Approval.Page;

namespace ResponseFunctions.Playbook.Approval.Teams;

/// <summary>The cards' few words, short enough for Teams' narrowest column (330 px), in English and French (<c>Teams:Language</c>).</summary>
internal sealed record CardText(
    string ApprovalNeeded,
    string Incident,
    string Severity,
    string Target,
    string Id,
    string Roles,
    string None,
    string Reversible,
    string Yes,
    string No,
    string Deadline,
    string YourTime,
    string Approvers,
    string TwoPeople,
    string IfNoDecision,
    string AppliedAnyway,
    string NotApplied,
    string Why,
    string Changes,
    string OrganisationWide,
    string Evidence,
    string Decide,
    string DecideSecond,
    string OpenIncident,
    string By,
    string At,
    string NothingToDecide,
    string Approved,
    string Rejected,
    string TimedOut,
    string TimedOutApplied,
    string AwaitingSecond,
    string Applied,
    string ApplyResult,
    string TargetsCount,
    string AndMore)
{
    public static CardText For(PageLanguage language) => language.IsFrench ? French : English;

    public static CardText English { get; } = new(
        "Approval needed", "Incident", "Severity", "Target", "Id", "Roles", "none", "Reversible", "Yes (before-state journaled)", "No",
        "Deadline", "Your time", "Approvers", "2 different people (tier-0)", "If no decision", "Applied (timeout policy)", "Not applied",
        "Why", "Changes", "Whole organisation", "Evidence", "Review and decide", "Review and decide (second approver)", "Open incident", "By", "At",
        "Nothing left to decide on this step.", "Approved", "Rejected", "No decision in time: not applied", "No decision in time: applied (timeout policy)",
        "First approval recorded: a different approver is needed", "Applied", "Apply result",
        "{0} targets", "… and {0} more: every target, and a box to exclude each, on the approval page");

    public static CardText French { get; } = new(
        "Approbation demandée", "Incident", "Sévérité", "Cible", "Id", "Rôles", "aucun", "Réversible", "Oui (état antérieur journalisé)", "Non",
        "Échéance", "Votre heure", "Approbateurs", "2 personnes différentes (tier 0)", "Sans décision", "Appliqué (politique d'expiration)", "Non appliqué",
        "Pourquoi", "Changements", "Toute l'organisation", "Éléments", "Examiner et décider", "Examiner et décider (2e approbateur)", "Ouvrir l'incident", "Par", "À",
        "Plus rien à décider pour cette étape.", "Approuvé", "Refusé", "Pas de décision à temps : non appliqué", "Pas de décision à temps : appliqué (politique d'expiration)",
        "Première approbation enregistrée : un autre approbateur est nécessaire", "Appliqué", "Résultat",
        "{0} cibles", "… et {0} autres : toutes les cibles, et de quoi exclure chacune, sur la page d'approbation");
}
