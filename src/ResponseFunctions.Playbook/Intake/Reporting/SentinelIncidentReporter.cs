using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Playbook.Intake.Reporting;

/// <summary>
/// Comments on a Microsoft Sentinel incident through Azure Resource Manager:
/// <c>PUT {incidentArmId}/comments/{commentId}?api-version=…</c> with <c>{"properties":{"message":…}}</c>. The
/// comment id is fixed by the containment and phase, so a retried activity overwrites its own comment instead of
/// adding one. Needs the Microsoft Sentinel Responder role on the workspace.
/// </summary>
public sealed class SentinelIncidentReporter : IIncidentReporter
{
    public const string ArmScope = "https://management.azure.com/.default";

    /// <summary>A bound on what we send (the service's own limit was not verified here); longer plans are cut with a pointer to the journal.</summary>
    private const int MaxMessageLength = 30_000;

    private readonly HttpPipeline _pipeline;
    private readonly Uri _armBase;
    private readonly string _apiVersion;

    public SentinelIncidentReporter(TokenCredential credential, IncidentReportingOptions options, HttpMessageHandler? transport = null)
    {
        _armBase = new Uri(options.ArmBaseUrl.TrimEnd('/') + "/");
        _apiVersion = options.ApiVersion;

        // Azure.Core's bearer policy refuses plain HTTP; the simulated tenant on this machine gets the loopback token the same way Graph does.
        HttpPipelinePolicy authentication = _armBase.IsLoopback
            ? new LoopbackBearerPolicy(credential)
            : new BearerTokenAuthenticationPolicy(credential, ArmScope);
        var clientOptions = new ReporterClientOptions();
        if (transport is not null)
        {
            clientOptions.Transport = new HttpClientTransport(transport);
        }

        _pipeline = HttpPipelineBuilder.Build(clientOptions, authentication);
    }

    public async Task<IncidentCommentResult> PostAsync(IncidentComment comment, CancellationToken cancellationToken)
    {
        var message = comment.Message.Length <= MaxMessageLength
            ? comment.Message
            : comment.Message[..(MaxMessageLength - 60)] + "<br>… cut: the full story is in the main courante.";
        using var request = _pipeline.CreateRequest();
        request.Method = RequestMethod.Put;
        request.Uri.Reset(new Uri(_armBase, $"{comment.IncidentArmId.TrimStart('/')}/comments/{comment.CommentId:D}?api-version={_apiVersion}"));
        request.Headers.Add("Content-Type", "application/json");
        request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(new { properties = new { message } }));

        using var response = await _pipeline.SendRequestAsync(request, cancellationToken);
        if (response.Status is 200 or 201)
        {
            return new IncidentCommentResult(IncidentCommentOutcome.Posted, $"Comment {comment.CommentId:D} ({comment.Phase}) on the incident: HTTP {response.Status}.");
        }

        var error = $"HTTP {response.Status} {response.ReasonPhrase}: {Truncate(response.Content?.ToString())}";
        if (response.Status is 408 or 429 or >= 500)
        {
            throw new TransientFailureException(new Actions.ErrorInfo(Actions.ErrorKind.Transient, $"Arm{response.Status}", error), new RequestFailedException(response));
        }

        return new IncidentCommentResult(IncidentCommentOutcome.Failed, error);
    }

    private static string Truncate(string? text) => text is null ? "" : text.Length <= 500 ? text : text[..500];

    private sealed class ReporterClientOptions : ClientOptions
    {
        public ReporterClientOptions()
        {
            // The SDK's retry policy already honours Retry-After for 429/503; the host retries the whole activity after that.
            Retry.MaxRetries = 2;
            Diagnostics.IsLoggingContentEnabled = false;
        }
    }

    private sealed class LoopbackBearerPolicy(TokenCredential credential) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            var token = credential.GetToken(new TokenRequestContext([ArmScope]), message.CancellationToken);
            message.Request.Headers.SetValue("Authorization", "Bearer " + token.Token);
        }
    }
}

/// <summary>Configuration section <c>Intake:Sentinel</c>: where Azure Resource Manager is and which Sentinel API version to use.</summary>
public sealed class IncidentReportingOptions
{
    public const string SectionName = "Intake:Sentinel";

    /// <summary>Azure Resource Manager; the simulated tenant's root URL when drilling. Empty: no comments are written.</summary>
    public string ArmBaseUrl { get; set; } = "https://management.azure.com";

    /// <summary>A stable Microsoft.SecurityInsights version with incident comments (2024-09-01; newer ones have the same shape).</summary>
    public string ApiVersion { get; set; } = "2024-09-01";
}
