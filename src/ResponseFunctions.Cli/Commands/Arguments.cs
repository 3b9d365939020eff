namespace ResponseFunctions.Cli.Commands;

/// <summary>A small "--name value" / "--flag" parser that names the option it cannot accept.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    private Arguments()
    {
    }

    public static Arguments Parse(IReadOnlyList<string> args, IReadOnlySet<string> options, IReadOnlySet<string> flags)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (flags.Contains(name))
            {
                parsed._values[name] = null;
            }
            else if (options.Contains(name))
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new UsageException($"{name} needs a value.");
                }

                parsed._values[name] = args[++i];
            }
            else
            {
                throw new UsageException($"Unknown option '{name}'. Options: {string.Join(", ", options.Concat(flags).Order())}.");
            }
        }

        return parsed;
    }

    public string? Value(string name) => _values.GetValueOrDefault(name);

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>--tenant: 'simulated' (the default) or 'live'.</summary>
    public bool LiveTenant() => Value("--tenant") switch
    {
        null or "simulated" => false,
        "live" => true,
        var other => throw new UsageException($"--tenant is 'simulated' (default) or 'live', not '{other}'."),
    };
}

/// <summary>The command line or a file it names is wrong: nothing was started.</summary>
internal sealed class UsageException(string message) : Exception(message);
