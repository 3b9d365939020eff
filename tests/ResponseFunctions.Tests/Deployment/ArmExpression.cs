namespace ResponseFunctions.Tests.Deployment;

/// <summary>
/// Just enough of ARM template expressions ("[union(createObject('a', x), ...)]") to read which keys an object
/// expression can produce: the literal keys of every createObject call, and format strings of computed keys.
/// Source: "Template functions - object" (createObject(key1, value1, key2, value2, ...)), learn.microsoft.com.
/// </summary>
internal static class ArmExpression
{
    /// <summary>Literal keys of every createObject(...) in the expression, at any depth.</summary>
    public static IReadOnlyList<string> CreateObjectKeys(string expression)
    {
        var keys = new List<string>();
        const string call = "createObject(";
        for (var at = expression.IndexOf(call, StringComparison.Ordinal); at >= 0; at = expression.IndexOf(call, at + call.Length, StringComparison.Ordinal))
        {
            var arguments = Arguments(expression, at + call.Length);
            for (var i = 0; i < arguments.Count; i += 2)
            {
                if (Literal(arguments[i]) is { } key)
                {
                    keys.Add(key);
                }
            }
        }

        return keys;
    }

    /// <summary>The first argument of every format(...) call that is a literal: computed names such as 'Section__{0}'.</summary>
    public static IReadOnlyList<string> FormatStrings(string expression)
    {
        var formats = new List<string>();
        const string call = "format(";
        for (var at = expression.IndexOf(call, StringComparison.Ordinal); at >= 0; at = expression.IndexOf(call, at + call.Length, StringComparison.Ordinal))
        {
            if (Arguments(expression, at + call.Length) is [var first, ..] && Literal(first) is { } literal)
            {
                formats.Add(literal);
            }
        }

        return formats;
    }

    /// <summary>The top-level arguments of a call whose '(' ends just before <paramref name="start"/>.</summary>
    private static List<string> Arguments(string expression, int start)
    {
        var arguments = new List<string>();
        var depth = 0;
        var inString = false;
        var from = start;
        for (var i = start; i < expression.Length; i++)
        {
            var c = expression[i];
            if (inString)
            {
                if (c == '\'' && i + 1 < expression.Length && expression[i + 1] == '\'')
                {
                    i++;
                }
                else if (c == '\'')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '\'':
                    inString = true;
                    break;
                case '(' or '[':
                    depth++;
                    break;
                case ')' or ']' when depth == 0:
                    arguments.Add(expression[from..i].Trim());
                    return arguments;
                case ')' or ']':
                    depth--;
                    break;
                case ',' when depth == 0:
                    arguments.Add(expression[from..i].Trim());
                    from = i + 1;
                    break;
            }
        }

        throw new FormatException($"Unbalanced expression: {expression}");
    }

    private static string? Literal(string argument) =>
        argument.Length >= 2 && argument[0] == '\'' && argument[^1] == '\'' ? argument[1..^1].Replace("''", "'", StringComparison.Ordinal) : null;
}
