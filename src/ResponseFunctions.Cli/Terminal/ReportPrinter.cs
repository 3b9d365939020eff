using System.Text.Json;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Release;

namespace ResponseFunctions.Cli.Terminal;

/// <summary>The closing table: one line per step with its plan, approval, apply and verify outcomes.</summary>
internal static class ReportPrinter
{
    public static void Print(ContainmentReport report, TextWriter output)
    {
        output.WriteLine($"Containment {report.InstanceId} ({report.Mode.ToString().ToLowerInvariant()}): {report.Phase.ToString().ToLowerInvariant()}");
        output.WriteLine($"{"#",-3} {"action",-7} {"prio",-4} {"target",-38} {"plan",-16} {"approval",-13} {"apply",-17} verify");
        foreach (var step in report.Steps)
        {
            output.WriteLine(
                $"{step.Index,-3} {step.Action,-7} {step.Priority,-4} {Truncate(step.Target.Name, 38),-38} {Kebab(step.Plan),-16} {Kebab(step.Approval),-13} {Kebab(step.Apply),-17} {Kebab(step.Verify)}");
        }

        foreach (var unresolved in report.Unresolved)
        {
            output.WriteLine($"ignored target {unresolved.Value}: {unresolved.Reason}");
        }

        var warnings = report.Steps.SelectMany(s => (s.Warnings ?? []).Select(w => $"{s.Action}: {w}")).Distinct().ToList();
        if (warnings.Count > 0)
        {
            output.WriteLine("Warnings:");
            warnings.ForEach(w => output.WriteLine($"  - {w}"));
        }
    }

    /// <summary>A release's table (each step names the containment entry it undoes), then what could not be undone and who must do what.</summary>
    public static void PrintRelease(ReleaseReport report, TextWriter output)
    {
        output.WriteLine($"Release {report.InstanceId} of {report.ContainmentInstanceId} ({report.Mode.ToString().ToLowerInvariant()}): {report.Phase.ToString().ToLowerInvariant()}");
        output.WriteLine($"{"#",-3} {"action",-7} {"target",-38} {"plan",-16} {"approval",-13} {"apply",-17} {"verify",-9} undoes");
        foreach (var step in report.Steps)
        {
            var original = report.Originals.FirstOrDefault(o => o.Index == step.Index);
            output.WriteLine(
                $"{step.Index,-3} {step.Action,-7} {Truncate(step.Target.Name, 38),-38} {Kebab(step.Plan),-16} {Kebab(step.Approval),-13} {Kebab(step.Apply),-17} {Kebab(step.Verify),-9} {original?.OriginalEntryId}{(original?.Item is { } item ? $" [{item}]" : string.Empty)}");
        }

        if (report.NotUndone.Count > 0)
        {
            output.WriteLine("Not undone (a person must follow up):");
            foreach (var notice in report.NotUndone)
            {
                output.WriteLine($"  - {notice.Action} {notice.Target} ({notice.Kind}): {notice.FollowUp}");
            }
        }

        var warnings = report.Steps.SelectMany(s => (s.Warnings ?? []).Select(w => $"{s.Action}: {w}")).Distinct().ToList();
        if (warnings.Count > 0)
        {
            output.WriteLine("Warnings:");
            warnings.ForEach(w => output.WriteLine($"  - {w}"));
        }
    }

    private static string Kebab<TEnum>(TEnum? value)
        where TEnum : struct, Enum =>
        value is { } v ? JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()) : "-";

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..(length - 1)] + "…";
}
