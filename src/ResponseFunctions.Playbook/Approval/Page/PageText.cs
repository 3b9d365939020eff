namespace ResponseFunctions.Playbook.Approval.Page;

/// <summary>
/// Every sentence of the approval page, in English and French. Sheet ids (1.c), action titles from the catalog and
/// values from the tenant are never translated: they are what the sheet and the main courante call them.
/// </summary>
internal sealed record PageText
{
    public required string PageTitle { get; init; }
    public required string SignedInAs { get; init; }
    public required string Incident { get; init; }
    public required string Severity { get; init; }
    public required string Source { get; init; }
    public required string OpenSource { get; init; }
    public required string Summary { get; init; }
    public required string WhatChanges { get; init; }
    public required string OnWhom { get; init; }
    public required string TargetsCount { get; init; }
    public required string TargetsTitle { get; init; }
    public required string TargetsHint { get; init; }
    public required string Exclude { get; init; }
    public required string Excluded { get; init; }
    public required string Reversible { get; init; }
    public required string ReversibleYes { get; init; }
    public required string ReversibleNo { get; init; }
    public required string Approvers { get; init; }
    public required string OneApprover { get; init; }
    public required string TwoApprovers { get; init; }
    public required string Deadline { get; init; }
    public required string TimeLeft { get; init; }
    public required string IfNobody { get; init; }
    public required string IfNobodyApplied { get; init; }
    public required string IfNobodyNotApplied { get; init; }
    public required string WholeOrganisation { get; init; }
    public required string OrganisationWideChange { get; init; }
    public required string Why { get; init; }
    public required string Reason { get; init; }
    public required string RequestedBy { get; init; }
    public required string Implicating { get; init; }
    public required string NothingImplicating { get; init; }
    public required string Roles { get; init; }
    public required string NoRoles { get; init; }
    public required string Changes { get; init; }
    public required string Evidence { get; init; }
    public required string Warnings { get; init; }
    public required string Decision { get; init; }
    public required string DecideLater { get; init; }
    public required string DecideLaterHint { get; init; }
    public required string Reject { get; init; }
    public required string RejectHint { get; init; }
    public required string Approve { get; init; }
    public required string ApproveHint { get; init; }
    public required string Comment { get; init; }
    public required string CommentHint { get; init; }
    public required string Submit { get; init; }
    public required string OnceOnly { get; init; }
    public required string ManualRun { get; init; }
    public required string SentinelIncident { get; init; }
    public required string RiskDetection { get; init; }
    public required string StepsOfLink { get; init; }
    public required string NextStep { get; init; }
    public required string YourComment { get; init; }
    public required string Recorded { get; init; }
    public required string RecordedNext { get; init; }
    public required string Approved { get; init; }
    public required string Rejected { get; init; }
    public required string By { get; init; }
    public required string SecondApproverNeeded { get; init; }
    public required string AlreadyApprovedTitle { get; init; }
    public required string AlreadyApprovedDetail { get; init; }

    // Status pages: title, what happened, what to do next.
    public required string SignInTitle { get; init; }
    public required string SignInDetail { get; init; }
    public required string NotApproverTitle { get; init; }
    public required string NotApproverDetail { get; init; }
    public required string ExpiredTitle { get; init; }
    public required string ExpiredDetail { get; init; }
    public required string InvalidTitle { get; init; }
    public required string InvalidDetail { get; init; }
    public required string ForeignTitle { get; init; }
    public required string ForeignDetail { get; init; }
    public required string NothingLeftTitle { get; init; }
    public required string NothingLeftDetail { get; init; }
    public required string UsedTitle { get; init; }
    public required string UsedDetail { get; init; }
    public required string UsedBefore { get; init; }
    public required string ThisLink { get; init; }
    public required string FormExpiredNotice { get; init; }
    public required string FormForgedTitle { get; init; }
    public required string FormForgedDetail { get; init; }
    public required string NoDecisionNotice { get; init; }
    public required string CommentTooLongNotice { get; init; }
    public required string AskNewLink { get; init; }
    public required string NothingToDo { get; init; }
    public required string OpenFromTeams { get; init; }
    public required string AskAdmin { get; init; }

    // Where a step stands, for status pages.
    public required string StateWaiting { get; init; }
    public required string StateApproved { get; init; }
    public required string StateRejected { get; init; }
    public required string StateTimedOut { get; init; }
    public required string StateTimedOutApplied { get; init; }
    public required string StatePolicy { get; init; }
    public required string StateUnknown { get; init; }
    public required string Applied { get; init; }
    public required string NotApplied { get; init; }
    public required string NotYetApplied { get; init; }

    public static PageText For(PageLanguage language) => language.IsFrench ? French : English;

    public static PageText English { get; } = new()
    {
        PageTitle = "Approval",
        SignedInAs = "Signed in as",
        Incident = "Incident",
        Severity = "Severity",
        Source = "Source",
        OpenSource = "Open the incident",
        Summary = "Summary",
        WhatChanges = "What changes",
        OnWhom = "On whom",
        TargetsCount = "{0} targets",
        TargetsTitle = "Targets",
        TargetsHint = "Approving approves every target below except those you tick: a ticked target is rejected by you and never changed.",
        Exclude = "Exclude",
        Excluded = "excluded",
        Reversible = "Reversible",
        ReversibleYes = "Yes — the state before is in the main courante",
        ReversibleNo = "No — cannot be undone",
        Approvers = "Approvers",
        OneApprover = "You alone",
        TwoApprovers = "Two different people (tier-0 change): you and one other approver",
        Deadline = "Deadline",
        TimeLeft = "left",
        IfNobody = "If nobody decides",
        IfNobodyApplied = "Applied anyway (timeout policy)",
        IfNobodyNotApplied = "Not applied",
        WholeOrganisation = "The whole organisation",
        OrganisationWideChange = "Organisation-wide change",
        Why = "Why you are asked",
        Reason = "Reason",
        RequestedBy = "Requested by",
        Implicating = "What implicates this target",
        NothingImplicating = "No detection or alert is attached: the requester's reason is all there is.",
        Roles = "Directory roles of the target",
        NoRoles = "none",
        Changes = "Exact changes",
        Evidence = "Evidence read by the plan",
        Warnings = "Warnings",
        Decision = "Your decision",
        DecideLater = "Decide later",
        DecideLaterHint = "Nothing is recorded for this step.",
        Reject = "Reject",
        RejectHint = "Safe: nothing changes.",
        Approve = "Approve",
        ApproveHint = "Applies the changes above now.",
        Comment = "Comment (kept in the main courante)",
        CommentHint = "Optional. What you checked, who you called.",
        Submit = "Record my decision",
        OnceOnly = "This link works once.",
        ManualRun = "Manual request",
        SentinelIncident = "Microsoft Sentinel incident",
        RiskDetection = "Entra ID Protection risk detection",
        StepsOfLink = "Steps of this link",
        NextStep = "Next step",
        YourComment = "Your comment was not recorded; copy it if you need it",
        Recorded = "Decision recorded",
        RecordedNext = "It is in the main courante; the Teams channel shows the outcome. You can close this page.",
        Approved = "approved",
        Rejected = "rejected",
        By = "by",
        SecondApproverNeeded = "First of two approvals, waiting for another approver: not applied yet, a second, different approver must approve too (the Teams follow-up card carries their link).",
        AlreadyApprovedTitle = "You already approved this step",
        AlreadyApprovedDetail = "This step needs two different approvers and you have already given your approval. A different approver must approve it; this link was not used up and nothing was recorded.",
        SignInTitle = "Sign-in required",
        SignInDetail = "This page needs a signed-in Microsoft Entra user (App Service Authentication).",
        NotApproverTitle = "Not an approver",
        NotApproverDetail = "Your account does not hold the app role {0}.",
        ExpiredTitle = "Link expired",
        ExpiredDetail = "The decision deadline of this link has passed; nothing was recorded from this page.",
        InvalidTitle = "Invalid link",
        InvalidDetail = "The link is incomplete or its signature does not match. It may have been cut when copied.",
        ForeignTitle = "Wrong link",
        ForeignDetail = "This link belongs to another containment or to other steps.",
        NothingLeftTitle = "Nothing left to decide",
        NothingLeftDetail = "The steps of this link no longer wait for a decision.",
        UsedTitle = "Link already used",
        UsedDetail = "Each approval link works once, and this one has been used; your submission was not recorded.",
        UsedBefore = "Each approval link works once, and this one has been used. Below: what was decided with it, and where each step stands.",
        ThisLink = "With this link:",
        FormExpiredNotice = "This form was open too long and has expired: nothing was recorded. Check your choice and submit again.",
        FormForgedTitle = "Form not yours",
        FormForgedDetail = "This form was issued to someone else or for another link; nothing was recorded.",
        NoDecisionNotice = "Nothing was recorded: choose Approve or Reject for at least one step, or close the page to decide later.",
        CommentTooLongNotice = "Nothing was recorded: the comment is longer than {0} characters.",
        AskNewLink = "If a decision is still needed, the step's follow-up card in Teams, or the lead, gives a new link.",
        NothingToDo = "Nothing to do.",
        OpenFromTeams = "Open the link from the Teams card again.",
        AskAdmin = "Ask the administrator of the enterprise application to assign you the approver role.",
        StateWaiting = "still waiting for a decision",
        StateApproved = "approved",
        StateRejected = "rejected",
        StateTimedOut = "not decided in time",
        StateTimedOutApplied = "not decided in time, applied under the timeout policy",
        StatePolicy = "decided by policy",
        StateUnknown = "state unknown (the containment is no longer running)",
        Applied = "applied",
        NotApplied = "not applied",
        NotYetApplied = "not applied yet",
    };

    public static PageText French { get; } = new()
    {
        PageTitle = "Approbation",
        SignedInAs = "Connecté en tant que",
        Incident = "Incident",
        Severity = "Sévérité",
        Source = "Source",
        OpenSource = "Ouvrir l'incident",
        Summary = "Résumé",
        WhatChanges = "Ce qui change",
        OnWhom = "Sur qui",
        TargetsCount = "{0} cibles",
        TargetsTitle = "Cibles",
        TargetsHint = "Approuver approuve chaque cible ci-dessous sauf celles que vous cochez : une cible cochée est rejetée par vous et jamais modifiée.",
        Exclude = "Exclure",
        Excluded = "exclue(s)",
        Reversible = "Réversible",
        ReversibleYes = "Oui — l'état antérieur est dans la main courante",
        ReversibleNo = "Non — irréversible",
        Approvers = "Approbateurs",
        OneApprover = "Vous seul",
        TwoApprovers = "Deux personnes différentes (changement tier 0) : vous et un autre approbateur",
        Deadline = "Échéance",
        TimeLeft = "restantes",
        IfNobody = "Sans décision",
        IfNobodyApplied = "Appliqué quand même (politique d'expiration)",
        IfNobodyNotApplied = "Non appliqué",
        WholeOrganisation = "Toute l'organisation",
        OrganisationWideChange = "Changement pour toute l'organisation",
        Why = "Pourquoi cette demande",
        Reason = "Motif",
        RequestedBy = "Demandé par",
        Implicating = "Ce qui met en cause cette cible",
        NothingImplicating = "Aucune détection ni alerte jointe : seul le motif du demandeur est connu.",
        Roles = "Rôles d'annuaire de la cible",
        NoRoles = "aucun",
        Changes = "Changements exacts",
        Evidence = "Éléments lus par le plan",
        Warnings = "Avertissements",
        Decision = "Votre décision",
        DecideLater = "Décider plus tard",
        DecideLaterHint = "Rien n'est enregistré pour cette étape.",
        Reject = "Refuser",
        RejectHint = "Sans risque : rien ne change.",
        Approve = "Approuver",
        ApproveHint = "Applique maintenant les changements ci-dessus.",
        Comment = "Commentaire (conservé dans la main courante)",
        CommentHint = "Facultatif. Ce que vous avez vérifié, qui vous avez appelé.",
        Submit = "Enregistrer ma décision",
        OnceOnly = "Ce lien ne sert qu'une fois.",
        ManualRun = "Demande manuelle",
        SentinelIncident = "Incident Microsoft Sentinel",
        RiskDetection = "Détection de risque Entra ID Protection",
        StepsOfLink = "Étapes de ce lien",
        NextStep = "Et maintenant",
        YourComment = "Votre commentaire n'a pas été enregistré ; copiez-le si besoin",
        Recorded = "Décision enregistrée",
        RecordedNext = "Elle est dans la main courante ; le canal Teams affiche le résultat. Vous pouvez fermer cette page.",
        Approved = "approuvé",
        Rejected = "refusé",
        By = "par",
        SecondApproverNeeded = "Première de deux approbations, en attente d'un autre approbateur : pas appliqué tant qu'un second approbateur, différent, n'a pas approuvé (la carte de suivi Teams porte son lien).",
        AlreadyApprovedTitle = "Vous avez déjà approuvé cette étape",
        AlreadyApprovedDetail = "Cette étape demande deux approbateurs différents et vous avez déjà donné votre approbation. Un autre approbateur doit l'approuver ; ce lien n'a pas été consommé et rien n'a été enregistré.",
        SignInTitle = "Connexion requise",
        SignInDetail = "Cette page demande un utilisateur Microsoft Entra connecté (authentification App Service).",
        NotApproverTitle = "Pas approbateur",
        NotApproverDetail = "Votre compte n'a pas le rôle d'application {0}.",
        ExpiredTitle = "Lien expiré",
        ExpiredDetail = "L'échéance de décision de ce lien est passée ; rien n'a été enregistré depuis cette page.",
        InvalidTitle = "Lien invalide",
        InvalidDetail = "Le lien est incomplet ou sa signature ne correspond pas. Il a peut-être été coupé lors d'un copier-coller.",
        ForeignTitle = "Mauvais lien",
        ForeignDetail = "Ce lien appartient à un autre endiguement ou à d'autres étapes.",
        NothingLeftTitle = "Plus rien à décider",
        NothingLeftDetail = "Les étapes de ce lien n'attendent plus de décision.",
        UsedTitle = "Lien déjà utilisé",
        UsedDetail = "Chaque lien d'approbation ne sert qu'une fois, et celui-ci a déjà servi ; votre envoi n'a pas été enregistré.",
        UsedBefore = "Chaque lien d'approbation ne sert qu'une fois, et celui-ci a déjà servi. Ci-dessous : ce qui a été décidé avec, et où en est chaque étape.",
        ThisLink = "Avec ce lien :",
        FormExpiredNotice = "Ce formulaire est resté ouvert trop longtemps et a expiré : rien n'a été enregistré. Vérifiez votre choix et renvoyez.",
        FormForgedTitle = "Formulaire d'un autre",
        FormForgedDetail = "Ce formulaire a été émis pour une autre personne ou un autre lien ; rien n'a été enregistré.",
        NoDecisionNotice = "Rien n'a été enregistré : choisissez Approuver ou Refuser pour au moins une étape, ou fermez la page pour décider plus tard.",
        CommentTooLongNotice = "Rien n'a été enregistré : le commentaire dépasse {0} caractères.",
        AskNewLink = "Si une décision est encore nécessaire, la carte de suivi de l'étape dans Teams, ou le responsable, donne un nouveau lien.",
        NothingToDo = "Rien à faire.",
        OpenFromTeams = "Rouvrez le lien depuis la carte Teams.",
        AskAdmin = "Demandez à l'administrateur de l'application d'entreprise de vous attribuer le rôle d'approbateur.",
        StateWaiting = "attend toujours une décision",
        StateApproved = "approuvé",
        StateRejected = "refusé",
        StateTimedOut = "pas de décision à temps",
        StateTimedOutApplied = "pas de décision à temps, appliqué selon la politique d'expiration",
        StatePolicy = "décidé par la politique",
        StateUnknown = "état inconnu (l'endiguement ne tourne plus)",
        Applied = "appliqué",
        NotApplied = "non appliqué",
        NotYetApplied = "pas encore appliqué",
    };
}
