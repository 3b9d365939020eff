using System.Web;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Journal;

/// <summary>What the journal's HTTP functions read from a request: the containment's incident and an optional chain anchor.</summary>
internal static class JournalRequest
{
    /// <summary>The incident of containment <paramref name="id"/>, or null when there is no such containment.</summary>
    public static async Task<string?> IncidentOfAsync(DurableTaskClient client, string id, CancellationToken cancellationToken) =>
        await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellation: cancellationToken) is { } instance
            ? ContainmentState.IncidentIdOf(instance)
            : null;

    /// <summary>The <c>anchor</c> query parameter (count:hash); false when it is present but malformed.</summary>
    public static bool TryReadAnchor(HttpRequestData request, out ChainAnchor? anchor)
    {
        anchor = null;
        return HttpUtility.ParseQueryString(request.Url.Query)["anchor"] is not { } text || ChainAnchor.TryParse(text, out anchor);
    }
}
