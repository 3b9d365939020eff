using System.Text.Json;
using System.Text.Json.Serialization;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// Writes a list of steps as a table: each instance id, incident id, action and target once, then five numbers per
/// step. A containment's steps travel in its history and its waves' (Prepare's output, each wave's and group's input,
/// each batch's input), and every replay reads them again: as objects, a 1,000-account containment's 6,000 steps
/// were 1.2 MB of JSON and four new strings each, read at each of its episodes. Read back, steps of one target share
/// one <see cref="ActionTarget"/>. Reads the plain array of steps too (histories written before the table).
/// </summary>
public sealed class StepTableJsonConverter : JsonConverter<IReadOnlyList<StepContext>>
{
    private const int Columns = 5;

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<StepContext> value, JsonSerializerOptions options)
    {
        var instances = new Column<string>(StringComparer.Ordinal);
        var incidents = new Column<string>(StringComparer.Ordinal);
        var actions = new Column<ActionId>(EqualityComparer<ActionId>.Default);
        var targets = new Column<ActionTarget>(EqualityComparer<ActionTarget>.Default);
        var rows = new int[value.Count * Columns];
        for (var i = 0; i < value.Count; i++)
        {
            var step = value[i];
            rows[i * Columns] = step.Index;
            rows[(i * Columns) + 1] = instances.IndexOf(step.InstanceId);
            rows[(i * Columns) + 2] = incidents.IndexOf(step.IncidentId);
            rows[(i * Columns) + 3] = actions.IndexOf(step.Action);
            rows[(i * Columns) + 4] = targets.IndexOf(step.Target);
        }

        writer.WriteStartObject();
        WriteColumn(writer, "instanceIds", instances, options);
        WriteColumn(writer, "incidentIds", incidents, options);
        WriteColumn(writer, "actions", actions, options);
        WriteColumn(writer, "targets", targets, options);
        writer.WriteStartArray("rows");
        foreach (var cell in rows)
        {
            writer.WriteNumberValue(cell);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public override IReadOnlyList<StepContext> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            return JsonSerializer.Deserialize<List<StepContext>>(ref reader, options) ?? [];
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected a table of steps, found {reader.TokenType}.");
        }

        List<string>? instances = null, incidents = null;
        List<ActionId>? actions = null;
        List<ActionTarget>? targets = null;
        List<int>? rows = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "instanceIds": instances = JsonSerializer.Deserialize<List<string>>(ref reader, options); break;
                case "incidentIds": incidents = JsonSerializer.Deserialize<List<string>>(ref reader, options); break;
                case "actions": actions = JsonSerializer.Deserialize<List<ActionId>>(ref reader, options); break;
                case "targets": targets = JsonSerializer.Deserialize<List<ActionTarget>>(ref reader, options); break;
                case "rows": rows = JsonSerializer.Deserialize<List<int>>(ref reader, options); break;
                default: reader.Skip(); break;
            }
        }

        if (instances is null || incidents is null || actions is null || targets is null || rows is null || rows.Count % Columns != 0)
        {
            throw new JsonException("A table of steps needs its instanceIds, incidentIds, actions, targets and whole rows.");
        }

        var steps = new StepContext[rows.Count / Columns];
        for (var i = 0; i < steps.Length; i++)
        {
            var row = i * Columns;
            steps[i] = new StepContext(
                Cell(instances, rows[row + 1]), Cell(incidents, rows[row + 2]), rows[row], Cell(actions, rows[row + 3]), Cell(targets, rows[row + 4]));
        }

        return steps;
    }

    private static T Cell<T>(List<T> column, int index) =>
        (uint)index < (uint)column.Count ? column[index] : throw new JsonException($"A step names entry {index} of a column of {column.Count}.");

    private static void WriteColumn<T>(Utf8JsonWriter writer, string name, Column<T> column, JsonSerializerOptions options)
        where T : notnull
    {
        writer.WritePropertyName(name);
        JsonSerializer.Serialize(writer, column.Values, options);
    }

    /// <summary>The distinct values of one column, in order of first appearance.</summary>
    private sealed class Column<T>(IEqualityComparer<T> comparer)
        where T : notnull
    {
        private readonly Dictionary<T, int> _index = new(comparer);

        public List<T> Values { get; } = [];

        public int IndexOf(T value)
        {
            if (!_index.TryGetValue(value, out var index))
            {
                index = Values.Count;
                _index.Add(value, index);
                Values.Add(value);
            }

            return index;
        }
    }
}
