using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;

namespace Navixy.TwoFactor.Benchmarks;

/// <summary>
/// Update-all at 1,000,000 accounts against update-all at 1,000 (the baseline). Goal: ratio ≤ 1.2 (S10: O(1)). Run with more
/// iterations than the suite's default job (as the PostgreSQL update-all is) so that the interval no longer straddles the goal;
/// each update appends an audit entry, and the in-memory trail is emptied every 1,024 updates (as a host's purge would, in
/// both cases alike), so the heap does not grow by millions of entries over the run, which made every iteration slower than
/// the one before. An <c>[IterationCleanup]</c> would do it once per iteration, but it makes BenchmarkDotNet time single calls.
/// </summary>
/// <remarks>
/// The iteration counts are job mutators (<c>[IterationCount]</c>), not a <c>[SimpleJob]</c>: the suite's default job from
/// <c>Program.cs</c> replaces a class's own job.
/// </remarks>
[MemoryDiagnoser]
[WarmupCount(3)]
[IterationCount(30)]
public class UpdateAllBenchmarks
{
    private static readonly TwoFactorSetting On = TwoFactorSetting.Allowed(FactorTypes.Email);

    private PolicyFixture _small = null!;
    private PolicyFixture _large = null!;
    private bool _flip;
    private long _updates;

    [GlobalSetup(Target = nameof(UpdateAll_1k))]
    public void SetupSmall() => _small = new PolicyFixture(1_000);

    [GlobalSetup(Target = nameof(UpdateAll_1M))]
    public void SetupLarge() => _large = new PolicyFixture(1_000_000);

    [Benchmark(Baseline = true, Description = "Update all, 1,000 accounts")]
    public long UpdateAll_1k() => Toggle(_small);

    [Benchmark(Description = "Update all, 1,000,000 accounts")]
    public long UpdateAll_1M() => Toggle(_large);

    private long Toggle(PolicyFixture fixture)
    {
        if (++_updates % 1_024 == 0)
        {
            var trail = fixture.Provider.GetRequiredService<IAuditTrailStore>();
            while (trail.PurgeAsync(DateTimeOffset.MaxValue, int.MaxValue, CancellationToken.None).Wait() > 0)
            {
            }
        }

        _flip = !_flip;
        return fixture.Settings.UpdateAsync(PolicyFixture.Tenant, SettingsTarget.All, _flip ? On : TwoFactorSetting.Disallowed)
            .Wait().ChangedAccounts;
    }
}
