using System.Text;
using System.Text.Json;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Serialization.Json;

namespace ResponseFunctions.SimulatedTenant.Http;

/// <summary>
/// Reads and writes bodies with Kiota's JSON serializer and the SDK's own model classes, so the simulator speaks
/// exactly the shapes (and polymorphic @odata.type values) the real GraphServiceClient produces and expects.
/// </summary>
internal static class GraphJson
{
    public const string MetadataPrefix = "https://graph.microsoft.com/v1.0/$metadata#";

    public static string Entity(IParsable entity, string contextFragment) =>
        Write(new Envelope(MetadataPrefix + contextFragment, entity.Serialize));

    public static string Collection<T>(IEnumerable<T> items, string contextFragment)
        where T : IParsable =>
        Write(new Envelope(MetadataPrefix + contextFragment, w => w.WriteCollectionOfObjectValues("value", items)));

    /// <summary>Serializes a model without an @odata.context, e.g. for storing Graph-shaped objects in the state.</summary>
    public static string Plain(IParsable value) => Write(value);

    public static T Parse<T>(string json, ParsableFactory<T> factory)
        where T : IParsable
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw GraphException.BadRequest("Unable to read JSON request payload. " + ex.Message);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw GraphException.BadRequest("The request payload must be a JSON object.");
            }

            try
            {
                return new JsonParseNode(document.RootElement).GetObjectValue(factory)
                    ?? throw GraphException.BadRequest("Empty request payload.");
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException)
            {
                throw GraphException.BadRequest("Invalid request payload: " + ex.Message);
            }
        }
    }

    private static string Write(IParsable value)
    {
        using var writer = new JsonSerializationWriter();
        writer.WriteObjectValue(null, value);
        using var stream = writer.GetSerializedContent();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Writes @odata.context first and then the payload's own properties into the same JSON object.</summary>
    private sealed class Envelope(string context, Action<ISerializationWriter> writeBody) : IParsable
    {
        public IDictionary<string, Action<IParseNode>> GetFieldDeserializers() => new Dictionary<string, Action<IParseNode>>();

        public void Serialize(ISerializationWriter writer)
        {
            writer.WriteStringValue("@odata.context", context);
            writeBody(writer);
        }
    }
}
