using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;
using ResponseFunctions.Playbook.Cases;
using ResponseFunctions.Playbook.Cases.CompromisedAccount;
using ResponseFunctions.Playbook.Cases.CompromisedAccount.ConditionalAccess;
using ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;
using ResponseFunctions.Playbook.Cases.CompromisedAppIdentity.Access;
using ResponseFunctions.Playbook.Cases.CompromisedAppIdentity.Consent;
using ResponseFunctions.Playbook.Cases.CompromisedAppIdentity.Credentials;
using ResponseFunctions.Playbook.Cases.CompromisedAzureResource;
using ResponseFunctions.Playbook.Cases.MailDataLeak;
using ResponseFunctions.Playbook.Cases.SpamRelay;
using ResponseFunctions.Playbook.Release.SpamRelay;
using ResponseFunctions.Playbook.Release.CompromisedAzureResource;

namespace ResponseFunctions.Playbook.Actions;

/// <summary>
/// One exact change an approver approves and apply makes: one sealed record per kind, carrying everything apply needs
/// as typed values (no parameter bag, nothing parsed at apply time). Serialized polymorphically: the kind is the
/// <c>kind</c> property, as it always was in the journal and the orchestration's history, and each record's own
/// properties sit beside <c>resourceId</c> and <c>description</c>.
/// </summary>
/// <param name="ResourceId">The object the change acts on (method, assignment, rule, policy...).</param>
/// <param name="Description">What the approver reads.</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(MoreChanges), "more")]
// Case 1
[JsonDerivedType(typeof(ResetPasswordChange), "reset-password")]
[JsonDerivedType(typeof(RevokeSessionsChange), "revoke-sessions")]
[JsonDerivedType(typeof(DisableAccountChange), "disable-account")]
[JsonDerivedType(typeof(DeleteAuthenticationMethod), "delete-method")]
[JsonDerivedType(typeof(RemoveRoleAssignment), "remove-role-assignment")]
[JsonDerivedType(typeof(RemoveRoleEligibility), "remove-role-eligibility")]
[JsonDerivedType(typeof(RemoveRoleGroupMembership), "remove-group-membership")]
[JsonDerivedType(typeof(ConfirmCompromisedChange), "confirm-compromised")]
[JsonDerivedType(typeof(EnsureIpLocation), "ensure-ip-location")]
[JsonDerivedType(typeof(EnsureCountryLocation), "ensure-country-location")]
[JsonDerivedType(typeof(EnsureBlockPolicy), "ensure-block-policy")]
// Case 2
[JsonDerivedType(typeof(RemoveSecret), Secrets.Kind)]
[JsonDerivedType(typeof(RemoveCertificate), Certificates.Kind)]
[JsonDerivedType(typeof(RemoveFederatedCredential), FederatedCredentials.Kind)]
[JsonDerivedType(typeof(DisableServicePrincipalChange), "disable-service-principal")]
[JsonDerivedType(typeof(RemoveAssignment), RemoveAssignment.Discriminator)]
[JsonDerivedType(typeof(RemoveDelegatedGrant), RemoveDelegatedGrant.Discriminator)]
[JsonDerivedType(typeof(RemoveApplicationPermission), RemoveApplicationPermission.Discriminator)]
[JsonDerivedType(typeof(RequireAssignment), RequireAssignment.Discriminator)]
[JsonDerivedType(typeof(RemoveScopedRole), "remove-scoped-role")]
[JsonDerivedType(typeof(AddScopedRole), "add-scoped-role")]
[JsonDerivedType(typeof(AddOwner), "add-owner")]
[JsonDerivedType(typeof(RemoveOwner), "remove-owner")]
[JsonDerivedType(typeof(RestrictUserConsent), RestrictUserConsent.Discriminator)]
[JsonDerivedType(typeof(EnableAdminConsentRequests), EnableAdminConsentRequests.Discriminator)]
// Case 3 (3.a)
[JsonDerivedType(typeof(EnsureIsolationNsg), "ensure-isolation-nsg")]
[JsonDerivedType(typeof(AssociateIsolationNsg), "associate-isolation-nsg")]
[JsonDerivedType(typeof(SnapshotDisk), "snapshot-disk")]
[JsonDerivedType(typeof(DeallocateVm), "deallocate-vm")]
[JsonDerivedType(typeof(StopSite), "stop-site")]
[JsonDerivedType(typeof(RestrictSiteAccess), "restrict-access")]
[JsonDerivedType(typeof(CloseStorageAccount), "close-storage-account")]
// Case 3 (3.b)
[JsonDerivedType(typeof(DisableBasicAuth), "disable-basic-auth")]
[JsonDerivedType(typeof(RegenerateHostKey), "regenerate-host-key")]
[JsonDerivedType(typeof(RotateKeyVaultSecret), "rotate-key-vault-secret")]
[JsonDerivedType(typeof(RegenerateStorageKey), "regenerate-storage-key")]
[JsonDerivedType(typeof(RevokeUserDelegationKeys), "revoke-user-delegation-keys")]
[JsonDerivedType(typeof(ResetAdministratorPassword), "reset-admin-password")]
// Case 4
[JsonDerivedType(typeof(RestoreAntiPhishPolicy), "restore-anti-phish-policy")]
[JsonDerivedType(typeof(RemoveAllowEntry), "remove-allow-entry")]
[JsonDerivedType(typeof(BlockSenderDomain), "block-sender-domain")]
[JsonDerivedType(typeof(ApplyStrictPreset), "apply-strict-preset")]
[JsonDerivedType(typeof(RestrictOutboundSpam), "restrict-outbound-spam")]
// Case 5
[JsonDerivedType(typeof(RemoveInboxRule), "remove-inbox-rule")]
[JsonDerivedType(typeof(ClearMailboxForwarding), "clear-mailbox-forwarding")]
[JsonDerivedType(typeof(DisableTransportRule), "disable-transport-rule")]
[JsonDerivedType(typeof(RemoveTransportRule), "remove-transport-rule")]
[JsonDerivedType(typeof(BlockSharedSignIn), "block-shared-sign-in")]
[JsonDerivedType(typeof(DisableSharedProtocols), "disable-shared-protocols")]
[JsonDerivedType(typeof(DisableMailboxLegacyProtocols), "disable-mailbox-legacy-protocols")]
[JsonDerivedType(typeof(KeepSmtpAuthException), "keep-smtp-auth-exception")]
[JsonDerivedType(typeof(DisableTenantSmtpAuth), "disable-tenant-smtp-auth")]
[JsonDerivedType(typeof(MergeMalwareFileTypes), "merge-malware-file-types")]
[JsonDerivedType(typeof(EnsureAttachmentRule), "ensure-attachment-rule")]
[JsonDerivedType(typeof(RemoveFullAccess), "remove-fullaccess")]
[JsonDerivedType(typeof(RemoveSendAs), "remove-sendas")]
[JsonDerivedType(typeof(RemoveSendOnBehalf), "remove-sendonbehalf")]
// Releases (Release/): case 1, 2, 5
[JsonDerivedType(typeof(Release.CompromisedAccount.EnableAccountChange), "enable-account")]
[JsonDerivedType(typeof(Release.CompromisedAccount.DeleteBlockPolicyChange), "delete-block-policy")]
[JsonDerivedType(typeof(Release.CompromisedAccount.DeleteNamedLocationChange), "delete-named-location")]
[JsonDerivedType(typeof(Release.CompromisedAccount.RemoveIpRangesChange), "remove-ip-ranges")]
[JsonDerivedType(typeof(Release.CompromisedAccount.RemoveCountriesChange), "remove-countries")]
[JsonDerivedType(typeof(Release.CompromisedAppIdentity.EnableServicePrincipalChange), "enable-service-principal")]
[JsonDerivedType(typeof(Release.CompromisedAppIdentity.RestoreUserConsent), "restore-user-consent")]
[JsonDerivedType(typeof(Release.CompromisedAppIdentity.RestoreAdminConsentRequests), "restore-admin-consent-requests")]
[JsonDerivedType(typeof(Release.MailDataLeak.RestoreForwarding), "restore-forwarding")]
[JsonDerivedType(typeof(Release.MailDataLeak.RecreateInboxRuleChange), "recreate-inbox-rule")]
[JsonDerivedType(typeof(Release.MailDataLeak.RecreateTransportRuleChange), "recreate-transport-rule")]
[JsonDerivedType(typeof(Release.MailDataLeak.EnableTransportRuleChange), "enable-transport-rule")]
[JsonDerivedType(typeof(Release.MailDataLeak.EnableSharedSignIn), "enable-shared-sign-in")]
[JsonDerivedType(typeof(Release.MailDataLeak.RestoreSharedProtocols), "restore-shared-protocols")]
[JsonDerivedType(typeof(Release.MailDataLeak.RestoreTenantSmtpAuth), "restore-tenant-smtp-auth")]
[JsonDerivedType(typeof(Release.MailDataLeak.RestoreMailboxProtocols), "restore-mailbox-protocols")]
[JsonDerivedType(typeof(Release.MailDataLeak.RestoreMalwareFileTypes), "restore-malware-file-types")]
[JsonDerivedType(typeof(Release.MailDataLeak.RemoveAttachmentRule), "remove-attachment-rule")]
[JsonDerivedType(typeof(Release.MailDataLeak.RegrantDelegation), "regrant-delegation")]
// Releases of case 4
[JsonDerivedType(typeof(RecreateAllowEntry), "recreate-allow-entry")]
[JsonDerivedType(typeof(RemoveIncidentBlockEntry), "remove-incident-block-entry")]
[JsonDerivedType(typeof(RestoreSpoofIntelligence), "restore-spoof-intelligence")]
[JsonDerivedType(typeof(RestoreTrustedEntry), "restore-trusted-entry")]
[JsonDerivedType(typeof(RestorePresetRule), "restore-preset-rule")]
[JsonDerivedType(typeof(RestoreOutboundSpamPolicy), "restore-outbound-spam-policy")]
// Release of 1.f and 2.d
[JsonDerivedType(typeof(Release.RegrantRole), "regrant-role")]
// Release of 3.a
[JsonDerivedType(typeof(RestoreNicSecurityGroup), "restore-nic-nsg")]
[JsonDerivedType(typeof(DeleteIsolationNsg), "delete-isolation-nsg")]
[JsonDerivedType(typeof(StartVirtualMachine), "start-vm")]
[JsonDerivedType(typeof(StartSite), "start-site")]
[JsonDerivedType(typeof(RestoreSiteAccess), "restore-site-access")]
[JsonDerivedType(typeof(RestoreStorageSetting), "restore-storage-setting")]
public abstract record PlannedChange(string ResourceId, string Description)
{
    private static readonly FrozenDictionary<Type, string> Kinds = typeof(PlannedChange).GetCustomAttributes<JsonDerivedTypeAttribute>()
        .ToFrozenDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    /// <summary>The kind's name ("delete-method", "remove-role-assignment"...): what the approval page groups by.</summary>
    [JsonIgnore]
    public virtual string Kind => Kinds.TryGetValue(GetType(), out var kind)
        ? kind
        : throw new InvalidOperationException($"{GetType().Name} is not registered as a kind of planned change (JsonDerivedType on PlannedChange).");

    /// <summary>The change reaches beyond the policy's caps (1.e): it needs two approvers whatever the policy says.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool RequiresSecondApprover { get; init; }
}

/// <summary>A change that takes a directory role away: the two-person rule reads which one.</summary>
public interface IRemovesRole
{
    string RoleDefinitionId { get; }
}

/// <summary>The "…and N more" line a capped approval card shows in place of the changes it leaves out.</summary>
public sealed record MoreChanges(string Description) : PlannedChange(string.Empty, Description);
