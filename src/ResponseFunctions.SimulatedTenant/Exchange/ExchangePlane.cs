using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Exchange;

/// <summary>
/// The Exchange Online admin API the ExchangeOnlineManagement module (v3) talks to:
/// POST /adminapi/beta/{tenantId}/InvokeCommand with {"CmdletInput":{"CmdletName":…,"Parameters":{…}}}. Answers
/// {"value":[…],"@odata.nextLink":…,"@adminapi.warnings":[…]}; pages by the client re-POSTing the body to nextLink;
/// words errors as {"error":{"code","message","details":[{"message":"ErrorCode|ExceptionType|Message"}]}}.
/// </summary>
internal sealed class ExchangePlane : ISimulatedPlane
{
    public const string ConcurrencyMessage = "You have reached the maximum number of concurrent requests per tenant. Please wait and try again.";

    public bool Handles(string path) => path.StartsWith("/adminapi/", StringComparison.OrdinalIgnoreCase);

    public string ErrorBody(int statusCode, string code, string message) => Error(code, "Ex0E2D7F", "Microsoft.Exchange.Net.ServiceException", message);

    public async Task<int> HandleAsync(PlaneContext context)
    {
        var http = context.Http;
        try
        {
            var (status, json) = Invoke(context);
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.WriteAsync(json, Encoding.UTF8);
            return status;
        }
        catch (ConcurrencyRejection)
        {
            http.Response.StatusCode = 500;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(ConcurrencyMessage, Encoding.UTF8);
            return 500;
        }
        catch (ExchangeError error)
        {
            http.Response.StatusCode = error.Status;
            http.Response.ContentType = "application/json; charset=utf-8";
            http.Response.Headers["X-ExceptionType"] = error.ExceptionType;
            await http.Response.WriteAsync(Error(error.Status == 404 ? "NotFound" : "BadRequest", error.ErrorCode, error.ExceptionType, error.Message), Encoding.UTF8);
            return error.Status;
        }
    }

    private static (int Status, string Json) Invoke(PlaneContext context)
    {
        var request = context.Http.Request;
        var segments = context.Path.Trim('/').Split('/');
        if (!HttpMethods.IsPost(request.Method) || segments.Length != 4 || !string.Equals(segments[1], "beta", StringComparison.OrdinalIgnoreCase)
            || !string.Equals(segments[3], "InvokeCommand", StringComparison.OrdinalIgnoreCase))
        {
            throw new ExchangeError(404, "Ex404000", "Microsoft.Exchange.Admin.NotFound", $"{request.Method} {context.Path} is not simulated (only POST /adminapi/beta/{{tenantId}}/InvokeCommand).");
        }

        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || string.IsNullOrWhiteSpace(authorization["Bearer ".Length..]))
        {
            throw new ExchangeError(401, "Ex401000", "System.UnauthorizedAccessException", "The access token is missing.");
        }

        var state = context.Services.State;
        var tenantId = state.Read(m => m.TenantId);
        if (!string.Equals(segments[2], tenantId, StringComparison.OrdinalIgnoreCase) && !string.Equals(segments[2], state.Read(m => m.Domain), StringComparison.OrdinalIgnoreCase))
        {
            throw new ExchangeError(401, "Ex401000", "System.UnauthorizedAccessException", $"The token is not valid for tenant '{segments[2]}'.");
        }

        if (string.IsNullOrWhiteSpace(request.Headers["X-AnchorMailbox"].ToString()))
        {
            throw new ExchangeError(400, "Ex400A01", "Microsoft.Exchange.Admin.MissingAnchor", "The X-AnchorMailbox header is required.");
        }

        if (state.Mutate(m => m.Exchange.ConcurrencyRejections > 0 && m.Exchange.ConcurrencyRejections-- > 0))
        {
            throw new ConcurrencyRejection();
        }

        var (cmdlet, parameters) = ReadInput(context.Body);
        var now = context.Services.Time.GetUtcNow();
        var output = state.Mutate(m => ExchangeCmdlets.Run(cmdlet, parameters, m, now));

        var skip = int.TryParse(request.Query["$skiptoken"], NumberStyles.None, CultureInfo.InvariantCulture, out var token) ? token : 0;
        var pageSize = Math.Min(PreferredPageSize(request), state.Read(m => m.Exchange.MaxPageSize));
        var select = request.Query["$select"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var page = output.Objects.Skip(skip).Take(pageSize).Select(o => Select(o, select)).ToList();

        var response = new JsonObject
        {
            ["@odata.context"] = $"{request.Scheme}://{request.Host}/adminapi/beta/{tenantId}/$metadata#Collection(Exchange.GenericHashTable)",
            ["value"] = new JsonArray([.. page]),
        };
        if (skip + pageSize < output.Objects.Count)
        {
            var query = select.Length > 0 ? $"?$select={string.Join(',', select)}&$skiptoken={skip + pageSize}" : $"?$skiptoken={skip + pageSize}";
            response["@odata.nextLink"] = $"{request.Scheme}://{request.Host}{context.Path}{query}";
        }

        if (output.Warnings.Count > 0)
        {
            response["@adminapi.warnings"] = new JsonArray([.. output.Warnings.Select(w => JsonValue.Create(w))]);
        }

        return (200, response.ToJsonString());
    }

    private static (string Cmdlet, JsonObject? Parameters) ReadInput(string? body)
    {
        JsonObject? input;
        try
        {
            input = (JsonNode.Parse(body ?? "") as JsonObject)?["CmdletInput"] as JsonObject;
        }
        catch (JsonException ex)
        {
            throw ExchangeError.Invalid("The request body is not valid JSON: " + ex.Message);
        }

        if (input?["CmdletName"] is not JsonValue name || !name.TryGetValue<string>(out var cmdlet))
        {
            throw ExchangeError.Invalid("The body must be {\"CmdletInput\":{\"CmdletName\":…,\"Parameters\":{…}}}.");
        }

        return (cmdlet, input["Parameters"] as JsonObject);
    }

    private static int PreferredPageSize(HttpRequest request)
    {
        const string key = "odata.maxpagesize=";
        var prefer = request.Headers["Prefer"].ToString();
        var at = prefer.IndexOf(key, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return 1000;
        }

        var digits = new string(prefer[(at + key.Length)..].TakeWhile(char.IsAsciiDigit).ToArray());
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0 ? size : 1000;
    }

    private static JsonObject Select(JsonObject source, string[] select)
    {
        if (select.Length == 0)
        {
            return source;
        }

        var result = new JsonObject();
        foreach (var property in select)
        {
            if (source.FirstOrDefault(kv => string.Equals(kv.Key, property, StringComparison.OrdinalIgnoreCase)) is { Key: not null } found)
            {
                result[found.Key] = found.Value?.DeepClone();
            }
        }

        return result;
    }

    // Source: GreyCorbel/ExoHelper Get-ExoException.ps1 reads details.message as "ErrorCode|ExceptionType|Message",
    // then innererror.internalException.message, then error.message.
    private static string Error(string code, string errorCode, string exceptionType, string message) =>
        new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["details"] = new JsonArray(new JsonObject { ["code"] = "Context", ["target"] = "", ["message"] = $"{errorCode}|{exceptionType}|{message}" }),
                ["innererror"] = new JsonObject { ["message"] = message, ["type"] = exceptionType, ["internalException"] = new JsonObject { ["message"] = message } },
            },
        }.ToJsonString();

    private sealed class ConcurrencyRejection : Exception;
}
