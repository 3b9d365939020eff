using System.Xml.Linq;

namespace ResponseFunctions.Cli.Tests.Conformance;

/// <summary>
/// The Graph v1.0 CSDL, read once: entity sets, singletons, entity and complex types (with inheritance), structural
/// and navigation properties, and bound actions and functions. Type names are fully qualified (aliases resolved).
/// </summary>
internal sealed class GraphCsdl
{
    private readonly Dictionary<string, string> _roots = new(StringComparer.Ordinal);          // entity set/singleton → type
    private readonly HashSet<string> _entitySets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TypeInfo> _types = new(StringComparer.Ordinal);
    private readonly List<Operation> _operations = [];

    public GraphCsdl(string path)
    {
        var document = XDocument.Load(path);
        var schemas = document.Descendants().Where(e => e.Name.LocalName == "Schema").ToList();
        var aliases = schemas.Where(s => s.Attribute("Alias") is not null)
            .ToDictionary(s => s.Attribute("Alias")!.Value, s => s.Attribute("Namespace")!.Value, StringComparer.Ordinal);
        string Qualify(string type)
        {
            var collection = type.StartsWith("Collection(", StringComparison.Ordinal);
            var name = collection ? type["Collection(".Length..^1] : type;
            var dot = name.LastIndexOf('.');
            if (dot > 0 && aliases.TryGetValue(name[..dot], out var ns))
            {
                name = ns + name[dot..];
            }

            return collection ? $"Collection({name})" : name;
        }

        foreach (var schema in schemas)
        {
            var ns = schema.Attribute("Namespace")!.Value;
            foreach (var element in schema.Elements())
            {
                switch (element.Name.LocalName)
                {
                    case "EntityType" or "ComplexType":
                        var info = new TypeInfo(ns + "." + element.Attribute("Name")!.Value, element.Attribute("BaseType") is { } b ? Qualify(b.Value) : null);
                        foreach (var property in element.Elements().Where(p => p.Name.LocalName is "Property" or "NavigationProperty"))
                        {
                            info.Properties[property.Attribute("Name")!.Value] = new PropertyInfo(Qualify(property.Attribute("Type")!.Value), property.Name.LocalName == "NavigationProperty");
                        }

                        _types[info.Name] = info;
                        break;
                    case "EnumType":
                        _types[ns + "." + element.Attribute("Name")!.Value] = new TypeInfo(ns + "." + element.Attribute("Name")!.Value, null) { IsEnum = true };
                        break;
                    case "Action" or "Function" when element.Attribute("IsBound")?.Value == "true":
                        var parameters = element.Elements().Where(p => p.Name.LocalName == "Parameter").ToList();
                        var returns = element.Elements().FirstOrDefault(p => p.Name.LocalName == "ReturnType")?.Attribute("Type")?.Value;
                        _operations.Add(new Operation(element.Attribute("Name")!.Value, element.Name.LocalName == "Action", Qualify(parameters[0].Attribute("Type")!.Value),
                            [.. parameters.Skip(1).Select(p => p.Attribute("Name")!.Value)], returns is null ? null : Qualify(returns)));
                        break;
                    case "EntityContainer":
                        foreach (var root in element.Elements())
                        {
                            if (root.Name.LocalName == "EntitySet")
                            {
                                _roots[root.Attribute("Name")!.Value] = $"Collection({Qualify(root.Attribute("EntityType")!.Value)})";
                                _entitySets.Add(root.Attribute("Name")!.Value);
                            }
                            else if (root.Name.LocalName == "Singleton")
                            {
                                _roots[root.Attribute("Name")!.Value] = Qualify(root.Attribute("Type")!.Value);
                            }
                        }

                        break;
                }
            }
        }
    }

    /// <summary>The type an "@odata.type" value names ("#microsoft.graph.user"), or null when the CSDL has none.</summary>
    public string? TypeNamed(string odataType)
    {
        var name = odataType.TrimStart('#');
        return _types.ContainsKey(name) ? name : _types.ContainsKey("microsoft.graph." + name) ? "microsoft.graph." + name : null;
    }

    public bool IsEntityOrComplex(string type) => _types.TryGetValue(type, out var t) && !t.IsEnum;

    /// <summary>The property on the type, its base types, or (leniently, as Graph accepts on casts) a derived type.</summary>
    public PropertyInfo? Property(string type, string name, bool includeDerived = false)
    {
        for (var t = type; t is not null && _types.TryGetValue(t, out var info); t = info.BaseType)
        {
            if (info.Properties.TryGetValue(name, out var property))
            {
                return property;
            }
        }

        return includeDerived
            ? _types.Values.Where(t => DerivesFrom(t.Name, type)).Select(t => t.Properties.GetValueOrDefault(name)).FirstOrDefault(p => p is not null)
            : null;
    }

    public bool DerivesFrom(string type, string ancestor)
    {
        for (var t = type; t is not null && _types.TryGetValue(t, out var info); t = info.BaseType)
        {
            if (t == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Resolves a /v1.0 path (segments already split, decoded) for a method; returns the problem, or null when it resolves.</summary>
    public string? Resolve(string method, IReadOnlyList<string> segments, out string? resultType, out Operation? operation)
    {
        resultType = null;
        operation = null;
        if (segments.Count == 0)
        {
            return "empty path";
        }

        var (first, firstKey) = SplitKey(segments[0]);
        if (!_roots.TryGetValue(first, out var current))
        {
            return $"'{first}' is not an entity set or singleton";
        }

        if (firstKey)
        {
            current = ElementOf(current);
        }

        var isRef = false;
        for (var i = 1; i < segments.Count; i++)
        {
            var (segment, hasKey) = SplitKey(segments[i]);
            if (segment == "$ref")
            {
                isRef = true;
                continue;
            }

            if (segment is "$count" or "$value")
            {
                continue;
            }

            var collection = current.StartsWith("Collection(", StringComparison.Ordinal);
            var element = ElementOf(current);
            if (segment.StartsWith("microsoft.graph.", StringComparison.Ordinal) && TypeNamed(segment) is { } cast && DerivesFrom(cast, element))
            {
                current = collection ? $"Collection({cast})" : cast;
                continue;
            }

            var name = segment.StartsWith("microsoft.graph.", StringComparison.Ordinal) ? segment["microsoft.graph.".Length..] : segment;
            if (FindOperation(current, name) is { } bound)
            {
                operation = bound;
                current = bound.ReturnType ?? "Edm.Untyped";
                continue;
            }

            if (collection)
            {
                current = element; // a key segment
                continue;
            }

            if (!collection && Property(element, segment) is { } property)
            {
                current = hasKey ? ElementOf(property.Type) : property.Type;
                continue;
            }

            return $"'{segment}' is not a property, navigation, cast, key or bound operation of {current}";
        }

        resultType = ElementOf(current);
        var isCollection = current.StartsWith("Collection(", StringComparison.Ordinal);
        return (method.ToUpperInvariant(), operation) switch
        {
            ("POST", { IsAction: false }) => $"POST to function {operation.Name}",
            ("GET", { IsAction: true }) => $"GET on action {operation.Name}",
            ("POST", null) when !isCollection && !isRef => $"POST to a single {resultType} (not a collection nor an action)",
            ("PATCH" or "PUT", _) when isCollection => $"{method} on a collection of {resultType}",
            ("DELETE", _) when isCollection && !isRef => $"DELETE on a collection of {resultType}",
            _ => null,
        };
    }

    private Operation? FindOperation(string bindingType, string name) =>
        _operations.FirstOrDefault(o => o.Name == name && (o.BindingType == bindingType || (!o.BindingType.StartsWith("Collection(", StringComparison.Ordinal)
            && !bindingType.StartsWith("Collection(", StringComparison.Ordinal) && DerivesFrom(bindingType, o.BindingType))
            || (o.BindingType.StartsWith("Collection(", StringComparison.Ordinal) && bindingType.StartsWith("Collection(", StringComparison.Ordinal)
                && DerivesFrom(ElementOf(bindingType), ElementOf(o.BindingType)))));

    private static string ElementOf(string type) => type.StartsWith("Collection(", StringComparison.Ordinal) ? type["Collection(".Length..^1] : type;

    /// <summary>"users('x')" or "servicePrincipals(appId='x')" → name with a key; function calls "f(a=1)" likewise.</summary>
    private static (string Name, bool HasKey) SplitKey(string segment)
    {
        var open = segment.IndexOf('(');
        return open > 0 && segment.EndsWith(')') ? (segment[..open], true) : (segment, false);
    }

    internal sealed record PropertyInfo(string Type, bool IsNavigation);

    internal sealed record Operation(string Name, bool IsAction, string BindingType, IReadOnlyList<string> Parameters, string? ReturnType);

    private sealed class TypeInfo(string name, string? baseType)
    {
        public string Name { get; } = name;
        public string? BaseType { get; } = baseType;
        public bool IsEnum { get; init; }
        public Dictionary<string, PropertyInfo> Properties { get; } = new(StringComparer.Ordinal);
    }
}
