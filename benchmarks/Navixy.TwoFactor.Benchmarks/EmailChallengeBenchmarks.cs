using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;

namespace Navixy.TwoFactor.Benchmarks;

/// <summary>
/// One email second step (start, which resolves, creates a challenge and hands the code to the sender; then
/// verify with the right code) through the in-memory store, against a baseline doing only the unavoidable
/// crypto: the token's and the code's randomness and the three keyed hashes (token at start, code at start,
/// token and code again at verify). Goal: ≤ 3×.
/// </summary>
[MemoryDiagnoser]
public class EmailChallengeBenchmarks
{
    private static readonly TenantId Tenant = new(1);
    private readonly byte[] _tokenKey = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _codeKey = RandomNumberGenerator.GetBytes(32);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private ITwoFactorChallenges _challenges = null!;
    private CapturingSender _sender = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddNavixyTwoFactor(o => o.KeyMaterial = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))
            .UseInMemoryStores()
            .AddEmailCodeSender<CapturingSender>();
        var provider = services.BuildServiceProvider();
        _sender = (CapturingSender)provider.GetRequiredService<IEmailCodeSender>();
        _challenges = provider.GetRequiredService<ITwoFactorChallenges>();
        provider.GetRequiredService<ITwoFactorDirectory>().RegisterAccountAsync(Tenant, 42).Wait();
        provider.GetRequiredService<ITwoFactorSettings>().EnforceForEveryoneAsync(Tenant, TwoFactorSetting.Allowed(FactorTypes.Email)).Wait();
    }

    [Benchmark(Baseline = true, Description = "Baseline: randomness + keyed hashes only")]
    public bool Baseline_CryptoOnly()
    {
        Span<byte> token = stackalloc byte[32];
        RandomNumberGenerator.Fill(token);
        var tokenText = Convert.ToBase64String(token);
        var tokenHash = HMACSHA256.HashData(_tokenKey, Encoding.ASCII.GetBytes(tokenText));
        var code = (RandomNumberGenerator.GetInt32(1_000_000)).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var stored = HMACSHA256.HashData(_codeKey, (byte[])[.. tokenHash, .. Encoding.ASCII.GetBytes(code)]);
        var verifyHash = HMACSHA256.HashData(_tokenKey, Encoding.ASCII.GetBytes(tokenText));
        var presented = HMACSHA256.HashData(_codeKey, (byte[])[.. verifyHash, .. Encoding.ASCII.GetBytes(code)]);
        return CryptographicOperations.FixedTimeEquals(stored, presented);
    }

    [Benchmark(Description = "Email start + verify (in-memory)")]
    public async Task<bool> StartAndVerify()
    {
        // One simulated second per login lets challenges expire and be cleaned up, as in a long-running host.
        _time.Advance(TimeSpan.FromSeconds(1));
        var started = await _challenges.StartAsync(Tenant, 42);
        var verified = await _challenges.VerifyAsync(Tenant, started.Token, _sender.LastCode);
        return verified.Outcome == ChallengeVerifyOutcome.Passed;
    }

    /// <summary>Keeps the last code so the benchmark can verify it.</summary>
    internal sealed class CapturingSender : IEmailCodeSender
    {
        public string? LastCode { get; private set; }

        public ValueTask SendAsync(EmailCodeMessage message, CancellationToken cancellationToken)
        {
            LastCode = message.Code;
            return ValueTask.CompletedTask;
        }
    }
}
