using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Core;
using ResponseFunctions.Playbook.Throttling;

namespace ResponseFunctions.Playbook.Exchange;

/// <summary>
/// The Exchange Online admin API as the ExchangeOnlineManagement v3 module uses it — the only code that knows the endpoint:
/// POST {base}/adminapi/beta/{tenant}/InvokeCommand with {"CmdletInput":{"CmdletName","Parameters"}} and a token for
/// https://outlook.office365.com/.default (application permission Exchange.ManageAsApp + the Exchange Administrator role).
/// The endpoint is undocumented (reconstructed from KelvinTegelaar/CIPP-API New-ExoRequest.ps1 and GreyCorbel/ExoHelper):
/// pages are fetched by re-POSTing the same body to @odata.nextLink; warnings arrive in @adminapi.warnings; throttling as
/// 429/503/504 or a plain-text "maximum number of concurrent requests" message.
/// </summary>
public sealed class ExchangeOnlineClient(HttpClient http, TokenCredential credential, ExchangeOnlineOptions options, TimeProvider? time = null, ThrottleGate? gate = null)
    : IExchangeOnline
{
    public const string Scope = "https://outlook.office365.com/.default";

    /// <summary>The organisation's system mailbox the module anchors org-wide cmdlets to (CIPP New-ExoRequest.ps1).</summary>
    public const string SystemMailbox = "SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}";

    private const string ConcurrencyMessage = "maximum number of concurrent requests";

    private readonly Uri _endpoint = new(options.BaseUrl.TrimEnd('/') + $"/adminapi/beta/{Uri.EscapeDataString(options.TenantId)}/InvokeCommand");
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The admin API's budget, shared by every caller in the process (see <see cref="ThrottleGate"/>).</summary>
    private static readonly ThrottleScope AdminApi = new("exchange/admin-api");

    private ThrottleGate _gate => field ??= gate ?? new ThrottleGate(_time);

    public async Task<ExchangeResult> InvokeAsync(ExchangeCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var body = Body(command);
        var objects = new List<JsonElement>();
        var warnings = new List<string>();
        var url = command.Select.Count > 0 ? new Uri(_endpoint + "?$select=" + string.Join(',', command.Select)) : _endpoint;
        for (var page = 0; url is not null; page++)
        {
            if (page == options.MaxPages)
            {
                throw new ExchangeCommandException(command.CmdletName, null, "TooManyPages", "LimitsExceeded", $"More than {options.MaxPages} pages: narrow the query.", false);
            }

            using var document = await PostWithRetriesAsync(command, url, body, cancellationToken);
            var root = document.RootElement;
            if (root.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array)
            {
                objects.AddRange(value.EnumerateArray().Select(e => e.Clone()));
            }

            if (root.TryGetProperty("@adminapi.warnings", out var warned) && warned.ValueKind == JsonValueKind.Array)
            {
                warnings.AddRange(warned.EnumerateArray().Select(w => w.GetString()).OfType<string>());
            }

            url = root.TryGetProperty("@odata.nextLink", out var next) && next.GetString() is { } link ? NextPage(command, link) : null;
        }

        return new ExchangeResult(objects, warnings);
    }

    /// <summary>A nextLink is followed only on the service's own host: the bearer token never goes anywhere else.</summary>
    private Uri NextPage(ExchangeCommand command, string link)
    {
        var next = new Uri(_endpoint, link);
        return Uri.Compare(next, _endpoint, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
            ? next
            : throw new ExchangeCommandException(command.CmdletName, null, "UnexpectedNextLink", "SecurityError", $"The service sent a nextLink to another host ({next.Host}); not followed.", false);
    }

    private async Task<JsonDocument> PostWithRetriesAsync(ExchangeCommand command, Uri url, byte[] body, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var sentAt = await _gate.WaitTurnAsync(AdminApi, cancellationToken);
            using var response = await SendAsync(command, url, body, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                _gate.Served(AdminApi, sentAt);
                return string.IsNullOrWhiteSpace(text) ? JsonDocument.Parse("{}") : JsonDocument.Parse(text);
            }

            var retryable = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or HttpStatusCode.RequestTimeout
                            || text.Contains(ConcurrencyMessage, StringComparison.OrdinalIgnoreCase);
            if (retryable)
            {
                // Every caller of the admin API waits out this answer, not only this one (the gate's turn above).
                _gate.Throttled(AdminApi, RetryDelay(response, attempt));
            }

            if (!retryable || attempt >= options.MaxAttempts)
            {
                throw ToException(command, response, text, retryable);
            }

            Telemetry.ContainmentTelemetry.ThrottlingRetries.Add(1, new KeyValuePair<string, object?>(Telemetry.ContainmentTelemetry.PlaneTag, "exchange"));
        }
    }

    private async Task<HttpResponseMessage> SendAsync(ExchangeCommand command, Uri url, byte[] body, CancellationToken cancellationToken)
    {
        var token = await credential.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        request.Headers.TryAddWithoutValidation("X-AnchorMailbox", command.AnchorMailbox is { } upn ? $"UPN:{upn}" : $"APP:{SystemMailbox}@{options.TenantId}");
        request.Headers.TryAddWithoutValidation("Prefer", $"odata.maxpagesize={options.PageSize}");
        request.Headers.TryAddWithoutValidation("X-CmdletName", command.CmdletName);
        request.Headers.TryAddWithoutValidation("X-ClientApplication", "ResponseFunctions");
        request.Headers.TryAddWithoutValidation("client-request-id", Guid.NewGuid().ToString());
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ExchangeCommandException(command.CmdletName, null, "NetworkError", "ConnectionError", ex.Message, isTransient: true, ex);
        }
    }

    /// <summary>Retry-After (seconds or a date) when given, else attempt × <see cref="ExchangeOnlineOptions.RetryStep"/>; never above the cap.</summary>
    private TimeSpan RetryDelay(HttpResponseMessage response, int attempt)
    {
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - _time.GetUtcNow(),
            _ => (TimeSpan?)null,
        };
        var delay = retryAfter ?? options.RetryStep * attempt;
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > options.MaxRetryDelay ? options.MaxRetryDelay : delay;
    }

    private static byte[] Body(ExchangeCommand command)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            command.WriteBody(json);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// The error as Exchange words it: error.details[0].message "ErrorCode|ExceptionType|Message" (e.g.
    /// "Ex6F9304|Microsoft.Exchange.Management.Tasks.ManagementObjectNotFoundException|…"), else innererror
    /// (type, internalException.message), else error.message, else the plain text (throttling arrives so).
    /// Source: GreyCorbel/ExoHelper Commands/Internal/Get-ExoException.ps1, Helpers/ExoException.cs.
    /// </summary>
    private static ExchangeCommandException ToException(ExchangeCommand command, HttpResponseMessage response, string text, bool transient)
    {
        var status = (int)response.StatusCode;
        var type = response.Headers.TryGetValues("X-ExceptionType", out var types) ? types.FirstOrDefault() ?? $"Http{status}" : $"Http{status}";
        string code = $"Http{status}", message = string.IsNullOrWhiteSpace(text) ? response.ReasonPhrase ?? $"HTTP {status}" : text.Trim();
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.TryGetProperty("error", out var error))
            {
                message = error.TryGetProperty("message", out var m) ? m.GetString() ?? message : message;
                if (error.TryGetProperty("innererror", out var inner) && inner.TryGetProperty("type", out var innerType))
                {
                    type = innerType.GetString() ?? type;
                    if (inner.TryGetProperty("internalException", out var internalException) && internalException.TryGetProperty("message", out var internalMessage))
                    {
                        message = internalMessage.GetString() ?? message;
                    }
                }

                if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array && details.GetArrayLength() > 0
                    && details[0].TryGetProperty("message", out var detail) && detail.GetString()?.Split('|', 3) is [var c, var t, var d])
                {
                    (code, type, message) = (c, t, d);
                }
            }
        }
        catch (JsonException)
        {
            // Plain text (the concurrency message, gateway pages): kept as the message.
        }

        return new ExchangeCommandException(command.CmdletName, status, type, code, message, transient);
    }
}
