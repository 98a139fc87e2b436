using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Benchmarks;

/// <summary>
/// Authenticator-code verify throughput on PostgreSQL over loopback: 256 principals, each enrolled with a secret the
/// benchmark keeps, verify the right code of a fresh authenticator challenge with 1, 8 or 32 concurrent callers, against
/// the same-run baseline of 256 bare single-row conditional <c>UPDATE … RETURNING</c> commits at the same concurrency on
/// the same data source. The engine's clock is a fake one that moves one time step (30 s) before each iteration, so every
/// code is of a step later than the last one accepted (T2 refuses a replay). Goal: verify ≥ 0.6× the baseline's rate
/// (ratio ≤ 1.67). A verify is two round trips (reserve with the enrolment read; settle) and an AES-GCM decryption and
/// three HMAC-SHA1 steps in between.
/// </summary>
[MemoryDiagnoser]
public class PostgreSqlAuthenticatorVerifyBenchmarks
{
    private const int Verifies = 256;
    private static readonly TenantId Tenant = new(1_000_004);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private PostgreSqlThroughput _db = null!;
    private ITwoFactorChallenges _challenges = null!;
    private byte[][] _secrets = [];
    private TotpParameters _parameters = TotpParameters.Default;
    private (string Token, string Code)[] _pending = [];

    /// <summary>Concurrent callers.</summary>
    [Params(1, 8, 32)]
    public int Callers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _db = new PostgreSqlThroughput(Verifies, services => services.AddSingleton<TimeProvider>(_clock).Configure<TwoFactorOptions>(o =>
        {
            // Only the set-up's enrolments make recovery codes (a verify of an authenticator code reads none): the fewest,
            // with the fewest PBKDF2 iterations the options allow, so that 256 enrolments take seconds, not minutes.
            o.Totp.RecoveryCodeCount = 1;
            o.Totp.RecoveryCodeIterations = TotpOptions.MinRecoveryCodeIterations;
        }));
        var provider = _db.Provider;
        _challenges = provider.GetRequiredService<ITwoFactorChallenges>();
        var directory = provider.GetRequiredService<ITwoFactorDirectory>();
        var enrollment = provider.GetRequiredService<ITotpEnrollment>();
        var settings = provider.GetRequiredService<ITwoFactorSettings>();

        // A clean tenant each process: removing a principal removes its enrolment, codes and challenges (C10); with the
        // second step off, a first authenticator needs no step-up (T4).
        settings.EnforceForEveryoneAsync(Tenant, TwoFactorSetting.Disallowed).AsTask().GetAwaiter().GetResult();
        _secrets = new byte[Verifies][];
        for (long id = 1; id <= Verifies; id++)
        {
            directory.RemoveAsync(Tenant, id).AsTask().GetAwaiter().GetResult();
            Check(directory.RegisterAccountAsync(Tenant, id).AsTask().GetAwaiter().GetResult().Succeeded, "register");
            var begun = enrollment.BeginAsync(Tenant, id, "Benchmarks", $"user{id}").AsTask().GetAwaiter().GetResult();
            Check(begun.IsBegun, "begin enrolment");
            _secrets[id - 1] = OtpNet.Base32Encoding.ToBytes(begun.Secret!);
            _parameters = begun.Parameters;
            Check(enrollment.ConfirmAsync(Tenant, id, CodeNow((int)id - 1)).AsTask().GetAwaiter().GetResult().Succeeded, "confirm enrolment");
        }

        settings.EnforceForEveryoneAsync(Tenant, TwoFactorSetting.Allowed(FactorTypes.Totp)).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _db.Dispose();

    [IterationSetup]
    public void StartChallenges()
    {
        // A new time step: the confirmation's, or the last iteration's, step was accepted and is a replay now.
        _clock.Advance(Step);
        _pending = new (string, string)[Verifies];
        for (var i = 0; i < Verifies; i++)
        {
            var started = _challenges.StartAsync(Tenant, i + 1).AsTask().GetAwaiter().GetResult();
            Check(started.Factor == FactorTypes.Totp, started.ToString());
            _pending[i] = (started.Token!, CodeNow(i));
        }

        _db.ResetBaseline();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Verifies, Description = "Baseline: bare conditional UPDATE … RETURNING")]
    public Task<int> BareUpdate() => _db.RunAsync(Callers, _db.BareUpdateAsync);

    [Benchmark(OperationsPerInvoke = Verifies, Description = "PostgreSQL authenticator verify")]
    public Task<int> Verify() => _db.RunAsync(Callers, async i =>
        (await _challenges.VerifyAsync(Tenant, _pending[i].Token, _pending[i].Code)).Outcome == ChallengeVerifyOutcome.Passed);

    private static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"Benchmark set-up failed: {what}.");
        }
    }

    private string CodeNow(int i) => TotpCalculator.Compute(_secrets[i], TotpCalculator.StepAt(_clock.GetUtcNow(), _parameters.PeriodSeconds), _parameters);
}
