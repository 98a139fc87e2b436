using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Npgsql;

namespace Navixy.TwoFactor.Benchmarks;

/// <summary>
/// Verify throughput on PostgreSQL over loopback: 256 right codes of 256 users verified by 1, 8 or 32 concurrent
/// callers (one caller is the baseline). Each reported time is per verify; the ratio shows how concurrency pays.
/// </summary>
[MemoryDiagnoser]
public class PostgreSqlVerifyBenchmarks
{
    private const int Verifies = 256;
    private static readonly TenantId Tenant = new(1_000_003);

    private NpgsqlDataSource _dataSource = null!;
    private ServiceProvider _provider = null!;
    private ITwoFactorChallenges _challenges = null!;
    private EmailChallengeBenchmarks.CapturingSender _sender = null!;
    private (string Token, string Code)[] _pending = [];

    [GlobalSetup]
    public void Setup()
    {
        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(PostgreSqlBench.ConnectionString!) { MaxPoolSize = 64 }.ConnectionString);
        _provider = PostgreSqlBench.CreateProvider(_dataSource, services => services.AddSingleton<IEmailCodeSender, EmailChallengeBenchmarks.CapturingSender>());
        _sender = (EmailChallengeBenchmarks.CapturingSender)_provider.GetRequiredService<IEmailCodeSender>();
        _challenges = _provider.GetRequiredService<ITwoFactorChallenges>();
        var directory = _provider.GetRequiredService<ITwoFactorDirectory>();
        for (long id = 1; id <= Verifies; id++)
        {
            directory.RegisterAccountAsync(Tenant, id).AsTask().GetAwaiter().GetResult();
        }

        _provider.GetRequiredService<ITwoFactorSettings>().EnforceForEveryoneAsync(Tenant, TwoFactorSetting.Allowed(FactorTypes.Email)).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider.Dispose();
        _dataSource.Dispose();
    }

    [IterationSetup]
    public void StartChallenges()
    {
        _pending = new (string, string)[Verifies];
        for (var i = 0; i < Verifies; i++)
        {
            var started = _challenges.StartAsync(Tenant, i + 1).AsTask().GetAwaiter().GetResult();
            _pending[i] = (started.Token ?? throw new InvalidOperationException(started.ToString()), _sender.LastCode!);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Verifies, Description = "PostgreSQL verify, 1 caller")]
    public Task<int> Verify_1() => VerifyAllAsync(1);

    [Benchmark(OperationsPerInvoke = Verifies, Description = "PostgreSQL verify, 8 concurrent callers")]
    public Task<int> Verify_8() => VerifyAllAsync(8);

    [Benchmark(OperationsPerInvoke = Verifies, Description = "PostgreSQL verify, 32 concurrent callers")]
    public Task<int> Verify_32() => VerifyAllAsync(32);

    private async Task<int> VerifyAllAsync(int callers)
    {
        var next = -1;
        var passed = 0;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Verifies)
            {
                var result = await _challenges.VerifyAsync(Tenant, _pending[i].Token, _pending[i].Code);
                if (result.Outcome == ChallengeVerifyOutcome.Passed)
                {
                    Interlocked.Increment(ref passed);
                }
            }
        })));

        return passed == Verifies ? passed : throw new InvalidOperationException($"{passed} of {Verifies} verifies passed.");
    }
}
