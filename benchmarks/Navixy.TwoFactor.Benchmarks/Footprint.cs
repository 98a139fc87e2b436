using System.Globalization;

namespace Navixy.TwoFactor.Benchmarks;

/// <summary>Retained memory per account of the in-memory store at 1,000,000 accounts (goal ≤ 128 B).</summary>
internal static class Footprint
{
    public static void Report(TextWriter output)
    {
        const int accounts = 1_000_000;
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var fixture = new PolicyFixture(accounts);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(fixture);
        var principals = accounts + (accounts / 10);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Footprint: {accounts:N0} accounts + {accounts / 10:N0} sub-users retain {(after - before) / 1024.0 / 1024.0:F1} MiB = {(double)(after - before) / accounts:F0} B per account ({(double)(after - before) / principals:F0} B per principal)."));
    }
}
