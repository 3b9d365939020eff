using System.Text.Json;
using System.Text.RegularExpressions;

namespace ResponseFunctions.Playbook.Exchange;

/// <summary>
/// One cmdlet call, built by construction: parameter names are code constants checked against a pattern, every value
/// is typed and written by a JSON writer, so nothing from an alert is ever concatenated into the request.
/// Immutable: each <c>With…</c> returns a new command.
/// </summary>
public sealed partial record ExchangeCommand
{
    private ExchangeCommand(string cmdletName) => CmdletName = cmdletName;

    public string CmdletName { get; }

    public IReadOnlyList<KeyValuePair<string, ExchangeValue>> Parameters { get; private init; } = [];

    /// <summary>The mailbox the request is routed to; null for organisation-wide cmdlets (the system mailbox anchor).</summary>
    public string? AnchorMailbox { get; private init; }

    /// <summary>Output properties to return ($select); empty for the whole objects.</summary>
    public IReadOnlyList<string> Select { get; private init; } = [];

    public static ExchangeCommand For(string cmdletName)
    {
        if (!CmdletPattern().IsMatch(cmdletName))
        {
            throw new ArgumentException($"'{cmdletName}' is not a cmdlet name (Verb-Noun).", nameof(cmdletName));
        }

        return new ExchangeCommand(cmdletName);
    }

    public ExchangeCommand With(string name, string? value) => Add(name, value is null ? ExchangeValue.Null : new ExchangeValue.Text(value));

    public ExchangeCommand With(string name, bool value) => Add(name, new ExchangeValue.Boolean(value));

    public ExchangeCommand With(string name, int value) => Add(name, new ExchangeValue.Number(value));

    public ExchangeCommand With(string name, IEnumerable<string> values) => Add(name, new ExchangeValue.List([.. values]));

    /// <summary>A switch parameter (-IncludeHidden): sent as true.</summary>
    public ExchangeCommand Switch(string name) => Add(name, new ExchangeValue.Boolean(true));

    /// <summary>Adds or removes items of a multi-valued property without replacing it (@{Add=…; Remove=…}).</summary>
    public ExchangeCommand Modify(string name, IEnumerable<string>? add = null, IEnumerable<string>? remove = null) =>
        Add(name, new ExchangeValue.HashTable([.. add ?? []], [.. remove ?? []]));

    /// <summary>Routes the call to a mailbox (X-AnchorMailbox: UPN:…), as mailbox-scoped cmdlets want.</summary>
    public ExchangeCommand AnchoredTo(string userPrincipalName)
    {
        if (string.IsNullOrWhiteSpace(userPrincipalName) || userPrincipalName.Any(char.IsControl) || !userPrincipalName.Contains('@'))
        {
            throw new ArgumentException("An anchor mailbox is a UPN without control characters.", nameof(userPrincipalName));
        }

        return this with { AnchorMailbox = userPrincipalName };
    }

    public ExchangeCommand Selecting(params string[] properties)
    {
        foreach (var property in properties)
        {
            RequireName(property);
        }

        return this with { Select = properties };
    }

    public string? Parameter(string name) =>
        Parameters.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value is ExchangeValue.Text text ? text.Value : null;

    public override string ToString() => $"{CmdletName} {string.Join(' ', Parameters.Select(p => $"-{p.Key} {p.Value}"))}";

    internal void WriteBody(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartObject("CmdletInput");
        json.WriteString("CmdletName", CmdletName);
        json.WriteStartObject("Parameters");
        foreach (var (name, value) in Parameters)
        {
            json.WritePropertyName(name);
            value.Write(json);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private ExchangeCommand Add(string name, ExchangeValue value)
    {
        RequireName(name);
        if (Parameters.Any(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"Parameter '{name}' is given twice.", nameof(name));
        }

        return this with { Parameters = [.. Parameters, new(name, value)] };
    }

    private static void RequireName(string name)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a parameter or property name.", nameof(name));
        }
    }

    [GeneratedRegex("^[A-Za-z]+-[A-Za-z0-9]+\\z")]
    private static partial Regex CmdletPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,63}\\z")]
    private static partial Regex NamePattern();
}

/// <summary>A typed parameter value and how InvokeCommand wants it in JSON.</summary>
public abstract record ExchangeValue
{
    public static ExchangeValue Null { get; } = new NullValue();

    internal abstract void Write(Utf8JsonWriter json);

    public sealed record Text(string Value) : ExchangeValue
    {
        internal override void Write(Utf8JsonWriter json) => json.WriteStringValue(Value);

        public override string ToString() => $"'{Value}'";
    }

    public sealed record Boolean(bool Value) : ExchangeValue
    {
        internal override void Write(Utf8JsonWriter json) => json.WriteBooleanValue(Value);

        public override string ToString() => Value ? "$true" : "$false";
    }

    public sealed record Number(int Value) : ExchangeValue
    {
        internal override void Write(Utf8JsonWriter json) => json.WriteNumberValue(Value);

        public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public sealed record List(IReadOnlyList<string> Values) : ExchangeValue
    {
        internal override void Write(Utf8JsonWriter json)
        {
            json.WriteStartArray();
            foreach (var value in Values)
            {
                json.WriteStringValue(value);
            }

            json.WriteEndArray();
        }

        public override string ToString() => string.Join(',', Values.Select(v => $"'{v}'"));
    }

    /// <summary>@{Add=…; Remove=…}: over REST an object tagged #Exchange.GenericHashTable, or the service cannot bind it.</summary>
    public sealed record HashTable(IReadOnlyList<string> Add, IReadOnlyList<string> Remove) : ExchangeValue
    {
        public const string ODataType = "#Exchange.GenericHashTable";

        internal override void Write(Utf8JsonWriter json)
        {
            json.WriteStartObject();
            json.WriteString("@odata.type", ODataType);
            WriteList(json, "Add", Add);
            WriteList(json, "Remove", Remove);
            json.WriteEndObject();
        }

        public override string ToString() =>
            $"@{{{string.Join("; ", new[] { Add.Count > 0 ? $"Add={string.Join(',', Add)}" : null, Remove.Count > 0 ? $"Remove={string.Join(',', Remove)}" : null }.OfType<string>())}}}";

        private static void WriteList(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
        {
            if (values.Count == 0)
            {
                return;
            }

            json.WriteStartArray(name);
            foreach (var value in values)
            {
                json.WriteStringValue(value);
            }

            json.WriteEndArray();
        }
    }

    private sealed record NullValue : ExchangeValue
    {
        internal override void Write(Utf8JsonWriter json) => json.WriteNullValue();

        public override string ToString() => "$null";
    }
}
