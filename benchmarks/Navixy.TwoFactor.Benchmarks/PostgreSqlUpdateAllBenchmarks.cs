using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Npgsql;

namespace Navixy.TwoFactor.Benchmarks;

/// <summary>
/// Update-all on PostgreSQL at 1,000,000 accounts against 1,000 (the baseline). Goal: ratio ≤ 1.2 (S10: O(1)). Run with
/// more iterations than the suite's default job so that the interval of a durable commit's noise is narrow (job mutators,
/// which apply on top of the suite's default job; a <c>[SimpleJob]</c> here would be replaced by it).
/// </summary>
[MemoryDiagnoser]
[WarmupCount(5)]
[IterationCount(60)]
public class PostgreSqlUpdateAllBenchmarks
{
    private static readonly TenantId Small = new(1_000_001);
    private static readonly TenantId Large = new(1_000_002);
    private static readonly TwoFactorSetting On = TwoFactorSetting.Allowed(FactorTypes.Email);

    private NpgsqlDataSource _dataSource = null!;
    private ServiceProvider _provider = null!;
    private ITwoFactorSettings _settings = null!;
    private bool _flip;

    [GlobalSetup]
    public void Setup()
    {
        _dataSource = NpgsqlDataSource.Create(PostgreSqlBench.ConnectionString!);
        _provider = PostgreSqlBench.CreateProvider(_dataSource);
        PostgreSqlBench.EnsureTenant(_dataSource, Small.Value, 1_000);
        PostgreSqlBench.EnsureTenant(_dataSource, Large.Value, 1_000_000);
        _settings = _provider.GetRequiredService<ITwoFactorSettings>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider.Dispose();
        _dataSource.Dispose();
    }

    [Benchmark(Baseline = true, Description = "PostgreSQL update all, 1,000 accounts")]
    public Task<long> UpdateAll_1k() => ToggleAsync(Small);

    [Benchmark(Description = "PostgreSQL update all, 1,000,000 accounts")]
    public Task<long> UpdateAll_1M() => ToggleAsync(Large);

    private async Task<long> ToggleAsync(TenantId tenant)
    {
        _flip = !_flip;
        var result = await _settings.UpdateAsync(tenant, SettingsTarget.All, _flip ? On : TwoFactorSetting.Disallowed);
        return result.Succeeded ? result.ChangedAccounts : throw new InvalidOperationException(result.ToString());
    }
}
