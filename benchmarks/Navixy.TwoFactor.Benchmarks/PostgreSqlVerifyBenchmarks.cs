using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Stores;

namespace Navixy.TwoFactor.Benchmarks;

/// <summary>
/// Email verify throughput on PostgreSQL over loopback against the server's own limit: 256 right codes of 256 users
/// verified by 1, 8 or 32 concurrent callers, against a same-run baseline of 256 bare single-row conditional
/// <c>UPDATE … RETURNING</c> commits (one per row, autocommit) at the same concurrency, on the same data source (the one
/// <c>UsePostgreSql(connectionString)</c> builds). Each reported time is per operation. Goal: verify ≥ 0.8× the baseline's
/// rate (ratio ≤ 1.25). A reference row runs the store's verify statement alone (token hashed, code digested beforehand).
/// </summary>
[MemoryDiagnoser]
public class PostgreSqlVerifyBenchmarks
{
    private const int Verifies = 256;
    private static readonly TenantId Tenant = new(1_000_003);

    private PostgreSqlThroughput _db = null!;
    private ITwoFactorChallenges _challenges = null!;
    private EmailChallengeBenchmarks.CapturingSender _sender = null!;
    private IChallengeStore _store = null!;
    private ChallengeHasher _hasher = null!;
    private ChallengeLimits _limits;
    private (string Token, string Code, byte[] TokenHash, byte[] Digest)[] _pending = [];

    /// <summary>Concurrent callers.</summary>
    [Params(1, 8, 32)]
    public int Callers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _db = new PostgreSqlThroughput(Verifies, services => services.AddSingleton<IEmailCodeSender, EmailChallengeBenchmarks.CapturingSender>());
        var provider = _db.Provider;
        _sender = (EmailChallengeBenchmarks.CapturingSender)provider.GetRequiredService<IEmailCodeSender>();
        _challenges = provider.GetRequiredService<ITwoFactorChallenges>();
        _store = provider.GetRequiredService<IChallengeStore>();
        _hasher = provider.GetRequiredService<ChallengeHasher>();
        _limits = ChallengeLimits.From(provider.GetRequiredService<IOptions<TwoFactorOptions>>().Value.Challenges);
        var directory = provider.GetRequiredService<ITwoFactorDirectory>();
        for (long id = 1; id <= Verifies; id++)
        {
            directory.RegisterAccountAsync(Tenant, id).AsTask().GetAwaiter().GetResult();
        }

        provider.GetRequiredService<ITwoFactorSettings>().EnforceForEveryoneAsync(Tenant, TwoFactorSetting.Allowed(FactorTypes.Email)).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _db.Dispose();

    [IterationSetup]
    public void StartChallenges()
    {
        // The last iteration's (or process's) starts would answer TooSoon within the send cooldown: start afresh.
        _db.Execute($"DELETE FROM {PostgreSqlBench.Schema}.challenges WHERE tenant_id = {Tenant.Value}; DELETE FROM {PostgreSqlBench.Schema}.principal_lockouts WHERE tenant_id = {Tenant.Value}");
        _pending = new (string, string, byte[], byte[])[Verifies];
        for (var i = 0; i < Verifies; i++)
        {
            var started = _challenges.StartAsync(Tenant, i + 1).AsTask().GetAwaiter().GetResult();
            var token = started.Token ?? throw new InvalidOperationException(started.ToString());
            var tokenHash = _hasher.HashToken(token);
            _pending[i] = (token, _sender.LastCode!, tokenHash, _hasher.DigestCode(token, tokenHash, _sender.LastCode!));
        }

        _db.ResetBaseline();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Verifies, Description = "Baseline: bare conditional UPDATE … RETURNING")]
    public Task<int> BareUpdate() => _db.RunAsync(Callers, _db.BareUpdateAsync);

    [Benchmark(OperationsPerInvoke = Verifies, Description = "PostgreSQL email verify")]
    public Task<int> Verify() => _db.RunAsync(Callers, async i =>
        (await _challenges.VerifyAsync(Tenant, _pending[i].Token, _pending[i].Code)).Outcome == ChallengeVerifyOutcome.Passed);

    [Benchmark(OperationsPerInvoke = Verifies, Description = "(reference) the store's verify statement alone")]
    public Task<int> StoreVerify() => _db.RunAsync(Callers, async i =>
        (await _store.VerifyAsync(Tenant, _pending[i].TokenHash, _pending[i].Digest, DateTimeOffset.UtcNow, _limits, CancellationToken.None)).Outcome == ChallengeStoreOutcome.Passed);
}
