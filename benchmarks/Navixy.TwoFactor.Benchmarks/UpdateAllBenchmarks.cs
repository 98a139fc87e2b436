using BenchmarkDotNet.Attributes;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Benchmarks;

/// <summary>
/// Update-all at 1,000,000 accounts against update-all at 1,000 (the baseline). Goal: ratio ≤ 1.2 (S10: O(1)). Run with more
/// iterations than the suite's default job (as the PostgreSQL update-all is) so that the interval no longer straddles the goal.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 30)]
public class UpdateAllBenchmarks
{
    private static readonly TwoFactorSetting On = TwoFactorSetting.Allowed(FactorTypes.Email);

    private PolicyFixture _small = null!;
    private PolicyFixture _large = null!;
    private bool _flip;

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
        _flip = !_flip;
        return fixture.Settings.UpdateAsync(PolicyFixture.Tenant, SettingsTarget.All, _flip ? On : TwoFactorSetting.Disallowed)
            .Wait().ChangedAccounts;
    }
}
