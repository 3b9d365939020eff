using System.Diagnostics;

namespace ResponseFunctions.Cli.Bench;

/// <summary>This process's managed allocations since <see cref="Start"/> and its peak working set (the OS's high-water mark, whole process).</summary>
internal sealed class ProcessMeter
{
    private readonly long _allocatedAtStart = GC.GetTotalAllocatedBytes(precise: true);

    public static ProcessMeter Start() => new();

    public double AllocatedMb => (GC.GetTotalAllocatedBytes(precise: true) - _allocatedAtStart) / 1024d / 1024d;

    public static double PeakWorkingSetMb
    {
        get
        {
            using var self = Process.GetCurrentProcess();
            self.Refresh();
            return self.PeakWorkingSet64 / 1024d / 1024d;
        }
    }
}
