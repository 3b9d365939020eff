namespace ResponseFunctions.Playbook.Catalog;

/// <summary>The five compromise cases of the sheet; the number is the sheet's.</summary>
public enum CaseId
{
    CompromisedAccount = 1,
    CompromisedAppIdentity = 2,
    CompromisedAzureResource = 3,
    SpamRelay = 4,
    MailDataLeak = 5,
}
