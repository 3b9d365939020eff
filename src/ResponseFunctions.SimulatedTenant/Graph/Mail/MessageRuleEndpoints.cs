using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Graph.Models;
using ResponseFunctions.SimulatedTenant.Exchange;
using ResponseFunctions.SimulatedTenant.Graph.Users;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Graph.Mail;

/// <summary>
/// /users/{id}/mailFolders/inbox/messageRules: the same inbox rules Exchange's Get-InboxRule lists, minus the hidden
/// ones (Graph only sees rules the Outlook rules API shows). A rule's Graph id is its RuleIdentity in base64.
/// </summary>
internal static class MessageRuleEndpoints
{
    private const string Collection = "users/{user}/mailFolders/inbox/messageRules";

    public static void Map(GraphRouter router) => router
        .Map("GET", Collection, List)
        .Map("DELETE", Collection + "/{rule}", Delete);

    public static string GraphIdOf(JsonObject rule) =>
        Convert.ToBase64String(BitConverter.GetBytes(ulong.Parse(rule["RuleIdentity"]!.ToString(), CultureInfo.InvariantCulture)));

    private static GraphResponse List(GraphRequest request)
    {
        var rules = request.State.Read(m => VisibleRules(m, request["user"]).Select(ToGraph).ToList());
        return GraphResponse.Ok(GraphJson.Collection(rules, $"users('{request["user"]}')/mailFolders('inbox')/messageRules"));
    }

    private static GraphResponse Delete(GraphRequest request)
    {
        request.State.Mutate(m =>
        {
            var rule = VisibleRules(m, request["user"]).FirstOrDefault(r => GraphIdOf(r) == request["rule"])
                ?? throw new GraphException(404, "ErrorItemNotFound", "The specified object was not found in the store.");
            m.Exchange.InboxRules.Remove(rule);
        });
        return GraphResponse.NoContent();
    }

    private static List<JsonObject> VisibleRules(TenantModel model, string userIdOrUpn)
    {
        var user = UserEndpoints.RequireUser(model, userIdOrUpn);
        var mailbox = ExchangeCmdlets.FindMailbox(model, user.Id)
            ?? throw new GraphException(404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
        return [.. model.Exchange.InboxRules.Where(r =>
            string.Equals((string?)r["MailboxOwnerId"], (string?)mailbox["UserPrincipalName"], StringComparison.OrdinalIgnoreCase) && r["SimHidden"]?.GetValue<bool>() != true)];
    }

    private static MessageRule ToGraph(JsonObject rule) => new()
    {
        Id = GraphIdOf(rule),
        DisplayName = (string?)rule["Name"],
        Sequence = rule["Priority"]?.GetValue<int>(),
        IsEnabled = rule["Enabled"]?.GetValue<bool>(),
        HasError = false,
        IsReadOnly = false,
        Actions = new MessageRuleActions
        {
            ForwardTo = Recipients(rule["ForwardTo"]),
            ForwardAsAttachmentTo = Recipients(rule["ForwardAsAttachmentTo"]),
            RedirectTo = Recipients(rule["RedirectTo"]),
            Delete = rule["DeleteMessage"]?.GetValue<bool>(),
            MarkAsRead = rule["MarkAsRead"]?.GetValue<bool>(),
            MoveToFolder = (string?)rule["MoveToFolder"],
        },
    };

    /// <summary>Exchange writes recipients as "Name" [SMTP:address]; Graph as emailAddress objects.</summary>
    private static List<Recipient>? Recipients(JsonNode? node) => node is JsonArray array
        ? [.. array.Select(n => n!.GetValue<string>()).Select(s => new Recipient { EmailAddress = new EmailAddress { Address = AddressOf(s) } })]
        : null;

    private static string AddressOf(string exchangeRecipient)
    {
        var at = exchangeRecipient.IndexOf("SMTP:", StringComparison.OrdinalIgnoreCase);
        return at < 0 ? exchangeRecipient.Trim('"', ' ') : exchangeRecipient[(at + 5)..].TrimEnd(']', ' ');
    }
}
