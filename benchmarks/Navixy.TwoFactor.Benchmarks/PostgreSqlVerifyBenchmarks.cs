using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Stores;
using Npgsql;

namespace Navixy.TwoFactor.Benchmarks;

/// <summary>
/// Email verify throughput on PostgreSQL over loopback against the server's own limit: 256 right codes of 256 users
/// verified by 1, 8 or 32 concurrent callers, against a same-run baseline of 256 bare single-row conditional
/// <c>UPDATE … RETURNING</c> commits (one per row, autocommit) at the same concurrency. Each reported time is per
/// operation. Goal: verify ≥ 0.8× the baseline's rate (ratio ≤ 1.25).
/// </summary>
[MemoryDiagnoser]
public class PostgreSqlVerifyBenchmarks
{
    private const int Verifies = 256;
    private const string BareTable = PostgreSqlBench.Schema + ".bench_bare_update";
    private static readonly TenantId Tenant = new(1_000_003);

    private NpgsqlDataSource _dataSource = null!;
    private ServiceProvider _provider = null!;
    private ITwoFactorChallenges _challenges = null!;
    private EmailChallengeBenchmarks.CapturingSender _sender = null!;
    private (string Token, string Code)[] _pending = [];
    private (byte[] TokenHash, byte[] Digest)[] _hashed = [];
    private IChallengeStore _store = null!;
    private ChallengeHasher _hasher = null!;
    private ChallengeLimits _limits;

    /// <summary>Concurrent callers.</summary>
    [Params(1, 8, 32)]
    public int Callers { get; set; }

    /// <summary>
    /// Npgsql's <c>Max Auto Prepare</c> of the data source both sides use: 0 (Npgsql's default, every statement parsed and
    /// planned on each call) or 64 (what <c>UsePostgreSql(connectionString)</c> sets when the string leaves it out).
    /// </summary>
    [Params(64)]
    public int MaxAutoPrepare { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(PostgreSqlBench.ConnectionString!) { MaxPoolSize = 64, MaxAutoPrepare = MaxAutoPrepare }.ConnectionString);
        _provider = PostgreSqlBench.CreateProvider(_dataSource, services => services.AddSingleton<IEmailCodeSender, EmailChallengeBenchmarks.CapturingSender>());
        _sender = (EmailChallengeBenchmarks.CapturingSender)_provider.GetRequiredService<IEmailCodeSender>();
        _challenges = _provider.GetRequiredService<ITwoFactorChallenges>();
        _store = _provider.GetRequiredService<IChallengeStore>();
        _hasher = _provider.GetRequiredService<ChallengeHasher>();
        _limits = ChallengeLimits.From(_provider.GetRequiredService<IOptions<TwoFactorOptions>>().Value.Challenges);
        var directory = _provider.GetRequiredService<ITwoFactorDirectory>();
        for (long id = 1; id <= Verifies; id++)
        {
            directory.RegisterAccountAsync(Tenant, id).AsTask().GetAwaiter().GetResult();
        }

        _provider.GetRequiredService<ITwoFactorSettings>().EnforceForEveryoneAsync(Tenant, TwoFactorSetting.Allowed(FactorTypes.Email)).AsTask().GetAwaiter().GetResult();
        using var create = _dataSource.CreateCommand(
            $"""
            DROP TABLE IF EXISTS {BareTable};
            CREATE TABLE {BareTable} (id integer PRIMARY KEY, attempts integer NOT NULL, consumed boolean NOT NULL);
            INSERT INTO {BareTable} SELECT id, 0, false FROM generate_series(1, {Verifies}) AS id;
            """);
        create.ExecuteNonQuery();
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
        // The last iteration's (or process's) starts would answer TooSoon within the send cooldown: start afresh.
        using (var clear = _dataSource.CreateCommand(
            $"DELETE FROM {PostgreSqlBench.Schema}.challenges WHERE tenant_id = @t; DELETE FROM {PostgreSqlBench.Schema}.principal_lockouts WHERE tenant_id = @t"))
        {
            clear.Parameters.AddWithValue("t", Tenant.Value);
            clear.ExecuteNonQuery();
        }

        _pending = new (string, string)[Verifies];
        _hashed = new (byte[], byte[])[Verifies];
        for (var i = 0; i < Verifies; i++)
        {
            var started = _challenges.StartAsync(Tenant, i + 1).AsTask().GetAwaiter().GetResult();
            var token = started.Token ?? throw new InvalidOperationException(started.ToString());
            _pending[i] = (token, _sender.LastCode!);
            var tokenHash = _hasher.HashToken(token);
            _hashed[i] = (tokenHash, _hasher.DigestCode(token, tokenHash, _sender.LastCode!));
        }

        using var reset = _dataSource.CreateCommand($"UPDATE {BareTable} SET attempts = 0, consumed = false");
        reset.ExecuteNonQuery();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Verifies, Description = "Baseline: bare conditional UPDATE … RETURNING")]
    public Task<int> BareUpdate() => RunAsync(async i =>
    {
        await using var command = _dataSource.CreateCommand(
            $"UPDATE {BareTable} SET attempts = attempts + 1, consumed = true WHERE id = $1 AND NOT consumed AND attempts < 5 RETURNING attempts");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = i + 1 });
        return await command.ExecuteScalarAsync() is int;
    });

    [Benchmark(OperationsPerInvoke = Verifies, Description = "PostgreSQL email verify")]
    public Task<int> Verify() => RunAsync(async i =>
        (await _challenges.VerifyAsync(Tenant, _pending[i].Token, _pending[i].Code)).Outcome == ChallengeVerifyOutcome.Passed);

    [Benchmark(OperationsPerInvoke = Verifies, Description = "(reference) the store's verify statement alone")]
    public Task<int> StoreVerify() => RunAsync(async i =>
        (await _store.VerifyAsync(Tenant, _hashed[i].TokenHash, _hashed[i].Digest, TimeProvider.System.GetUtcNow(), _limits, CancellationToken.None)).Outcome == ChallengeStoreOutcome.Passed);

    private async Task<int> RunAsync(Func<int, Task<bool>> operation)
    {
        var next = -1;
        var passed = 0;
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Verifies)
            {
                if (await operation(i))
                {
                    Interlocked.Increment(ref passed);
                }
            }
        })));

        return passed == Verifies ? passed : throw new InvalidOperationException($"{passed} of {Verifies} operations passed.");
    }
}
