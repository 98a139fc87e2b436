using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.InMemory;
using Navixy.TwoFactor.Tests.Challenges;

namespace Navixy.TwoFactor.Tests.Stores;

public class InMemoryChallengeStoreTests
{
    private static readonly TenantId Tenant = new(3);
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task MillionAbandonedChallenges_MemoryStaysFlat()
    {
        var time = new FakeTimeProvider(Epoch);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IEmailCodeSender, DiscardingSender>();
        services.AddNavixyTwoFactor(o =>
        {
            o.KeyMaterial = ChallengeTestHost.KeyMaterial;
            o.Challenges.ResendCooldown = TimeSpan.FromSeconds(1); // one send per second may go out (C9)
        }).UseInMemoryStores();
        using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITwoFactorDirectory>().RegisterAccountAsync(Tenant, 1);
        await provider.GetRequiredService<ITwoFactorSettings>().UpdateAsync(Tenant, SettingsTarget.All, TwoFactorSetting.Allowed(FactorTypes.Email));
        var challenges = provider.GetRequiredService<ITwoFactorChallenges>();
        var store = provider.GetRequiredService<InMemoryChallengeStore>();

        // One start per second of fake time: a challenge lives 900 s, so at most ~900 are ever live.
        await StartAbandonedAsync(challenges, time, 10_000);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var peak = 0;
        for (var batch = 0; batch < 99; batch++)
        {
            await StartAbandonedAsync(challenges, time, 10_000);
            peak = Math.Max(peak, store.ChallengeCount);
        }

        var growth = GC.GetTotalMemory(forceFullCollection: true) - before;

        Assert.That(peak, Is.LessThanOrEqualTo(902));
        Assert.That(store.CleanupQueueLength, Is.LessThanOrEqualTo(902));
        Assert.That(store.PrincipalCount, Is.LessThanOrEqualTo(1), "the one principal, holding its live challenges");
        Assert.That(growth, Is.LessThan(16 * 1024 * 1024), "a leak of 990,000 challenges would be hundreds of megabytes");
    }

    [Test]
    public async Task AtRest_StoreHoldsOnlyAKeyedDigestNeitherCodeNorPlainHash()
    {
        var recording = new RecordingStore();
        using var host = await ChallengeTestHost.CreateAsync(services => services.Replace(ServiceDescriptor.Singleton<IChallengeStore>(recording)));
        var (token, code) = await host.StartAsync();
        var hasher = host.Provider.GetRequiredService<ChallengeHasher>();
        var tokenHash = hasher.HashToken(token);

        var stored = recording.Inner.FindDigest(host.Tenant, tokenHash)!;

        Assert.That(stored, Has.Length.EqualTo(32));
        Assert.That(stored, Is.Not.EqualTo(SHA256.HashData((byte[])[.. tokenHash, .. Encoding.ASCII.GetBytes(code)])), "not a plain hash a 10^6 brute force recovers");
        Assert.That(stored, Is.Not.EqualTo(HMACSHA256.HashData(Convert.FromBase64String(ChallengeTestHost.KeyMaterial), (byte[])[.. tokenHash, .. Encoding.ASCII.GetBytes(code)])), "not keyed with the raw material");
        Assert.That(stored, Is.EqualTo(hasher.DigestCode(token, tokenHash, code)));
        Assert.That(tokenHash, Is.Not.EqualTo(SHA256.HashData(Encoding.ASCII.GetBytes(token))), "the token hash is keyed too");
    }

    [Test]
    public async Task StoreArguments_NeverContainTheCodeOrTheToken()
    {
        var recording = new RecordingStore();
        using var host = await ChallengeTestHost.CreateAsync(services => services.Replace(ServiceDescriptor.Singleton<IChallengeStore>(recording)));
        var (token, code) = await host.StartAsync();
        await host.Challenges.VerifyAsync(host.Tenant, token, ChallengeTestHost.WrongCode(code));
        host.Time.Advance(TimeSpan.FromMinutes(1));
        await host.Challenges.ResendAsync(host.Tenant, token);
        var newCode = host.Sender.LastCode(host.Tenant, ChallengeTestHost.Account);
        await host.Challenges.VerifyAsync(host.Tenant, token, newCode);

        var secrets = new[] { Encoding.ASCII.GetBytes(code), Encoding.ASCII.GetBytes(newCode), Encoding.ASCII.GetBytes(token), DecodeBase64Url(token) };

        // Create, verify (a wrong code), resend, verify: two hashes per call (an email verify needs no find first).
        Assert.That(recording.Arguments, Has.Count.EqualTo(2 + 2 + 2 + 2));
        foreach (var argument in recording.Arguments)
        {
            Assert.That(argument, Has.Length.EqualTo(32));
            foreach (var secret in secrets)
            {
                Assert.That(argument.AsSpan().IndexOf(secret), Is.EqualTo(-1));
            }
        }
    }

    [Test]
    public async Task PurgeExpired_InBatches_RemovesEveryEndedChallengeAndNoLiveOne()
    {
        var store = new InMemoryChallengeStore();
        for (var i = 0; i < 5; i++)
        {
            await store.CreateAsync(NewChallenge(Epoch), Unbounded, CancellationToken.None);
        }

        await store.CreateAsync(NewChallenge(Epoch + TimeSpan.FromMinutes(10)), Unbounded, CancellationToken.None);
        var now = Epoch + TimeSpan.FromMinutes(15);

        var batches = new[]
        {
            await store.PurgeExpiredAsync(now, 2, CancellationToken.None),
            await store.PurgeExpiredAsync(now, 2, CancellationToken.None),
            await store.PurgeExpiredAsync(now, 2, CancellationToken.None),
        };

        Assert.That(batches, Is.EqualTo(new[] { 2, 2, 1 }));
        Assert.That(store.ChallengeCount, Is.EqualTo(1));
        Assert.That(() => store.PurgeExpiredAsync(now, 0, CancellationToken.None), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public async Task PrincipalState_IsForgottenOnSuccess()
    {
        using var host = await ChallengeTestHost.CreateAsync();
        var store = host.Provider.GetRequiredService<InMemoryChallengeStore>();
        var (token, code) = await host.StartAsync();
        await host.Challenges.VerifyAsync(host.Tenant, token, ChallengeTestHost.WrongCode(code));
        Assert.That(store.PrincipalCount, Is.EqualTo(1));

        await host.Challenges.VerifyAsync(host.Tenant, token, code);
        host.Time.Advance(TimeSpan.FromMinutes(15));
        await store.PurgeExpiredAsync(host.Time.GetUtcNow(), 100, CancellationToken.None);

        Assert.That(store.PrincipalCount, Is.Zero, "nothing is remembered once its challenges ended");
    }

    [Test]
    public async Task ManyPrincipalsInParallel_EachPassesExactlyOnce()
    {
        var store = new InMemoryChallengeStore();
        var limits = ChallengeLimits.From(new ChallengeOptions());
        var digest = new byte[32];
        var hashes = Enumerable.Range(1, 200).Select(i => RandomNumberGenerator.GetBytes(32)).ToArray();
        for (var i = 0; i < hashes.Length; i++)
        {
            await store.CreateAsync(NewChallenge(Epoch, hashes[i], digest, principalId: i % 20), Unbounded, CancellationToken.None);
        }

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2_000).Select(i => Task.Run(async () =>
            (await store.VerifyAsync(Tenant, hashes[i % hashes.Length], digest, Epoch, limits, CancellationToken.None)).Outcome)));

        Assert.That(outcomes.Count(o => o == ChallengeStoreOutcome.Passed), Is.EqualTo(hashes.Length));
        Assert.That(outcomes.Count(o => o == ChallengeStoreOutcome.Consumed), Is.EqualTo(2_000 - hashes.Length));
    }

    [Test]
    public void Operations_HashOfWrongLength_AreMisuse()
    {
        var store = new InMemoryChallengeStore();
        var limits = ChallengeLimits.From(new ChallengeOptions());

        Assert.That(() => store.VerifyAsync(Tenant, new byte[31], new byte[32], Epoch, limits, CancellationToken.None), Throws.ArgumentException);
        Assert.That(() => store.CreateAsync(NewChallenge(Epoch) with { CodeDigest = new byte[3] }, Unbounded, CancellationToken.None), Throws.ArgumentException);
    }

    /// <summary>The default limits without the per-principal send cooldown and open cap, so many challenges of one principal fit.</summary>
    private static ChallengeLimits Unbounded { get; } = ChallengeLimits.From(new ChallengeOptions()) with { SendCooldown = TimeSpan.Zero, MaxOpenChallenges = 0 };

    private static NewChallenge NewChallenge(DateTimeOffset at, byte[]? tokenHash = null, byte[]? digest = null, long principalId = 1) =>
        new(Tenant, principalId, FactorTypes.Email, tokenHash ?? RandomNumberGenerator.GetBytes(32), digest ?? RandomNumberGenerator.GetBytes(32),
            at, at + TimeSpan.FromMinutes(5), at + TimeSpan.FromMinutes(15), at + TimeSpan.FromMinutes(1));

    private static async Task StartAbandonedAsync(ITwoFactorChallenges challenges, FakeTimeProvider time, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var started = await challenges.StartAsync(Tenant, 1);
            if (!started.IsStarted)
            {
                Assert.Fail($"start answered {started}");
            }

            time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    private static byte[] DecodeBase64Url(string token) => Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + "=");

    private sealed class DiscardingSender : IEmailCodeSender
    {
        public ValueTask SendAsync(EmailCodeMessage message, CancellationToken cancellationToken) => default;
    }

    /// <summary>The in-memory store behind a decorator that records every byte argument it is given.</summary>
    private sealed class RecordingStore : IChallengeStore
    {
        private readonly List<byte[]> _arguments = [];

        public InMemoryChallengeStore Inner { get; } = new();

        public IReadOnlyList<byte[]> Arguments
        {
            get
            {
                lock (_arguments)
                {
                    return [.. _arguments];
                }
            }
        }

        public ValueTask<ChallengeStoreResult> CreateAsync(NewChallenge challenge, ChallengeLimits limits, CancellationToken cancellationToken)
        {
            Record(challenge.TokenHash, challenge.CodeDigest);
            return Inner.CreateAsync(challenge, limits, cancellationToken);
        }

        public ValueTask<ChallengeStoreResult> VerifyAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
        {
            Record(tokenHash, codeDigest);
            return Inner.VerifyAsync(tenant, tokenHash, codeDigest, now, limits, cancellationToken);
        }

        public ValueTask<ChallengeStoreResult> ReplaceCodeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, DateTimeOffset codeExpiresAt, DateTimeOffset nextResendAt, ChallengeLimits limits, CancellationToken cancellationToken)
        {
            Record(tokenHash, codeDigest);
            return Inner.ReplaceCodeAsync(tenant, tokenHash, codeDigest, now, codeExpiresAt, nextResendAt, limits, cancellationToken);
        }

        public ValueTask<ChallengeStoreResult> FindAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
        {
            Record(tokenHash);
            return Inner.FindAsync(tenant, tokenHash, now, limits, cancellationToken);
        }

        public ValueTask<ChallengeStoreResult> ReserveAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
        {
            Record(tokenHash);
            return Inner.ReserveAsync(tenant, tokenHash, now, limits, cancellationToken);
        }

        public ValueTask<ChallengeStoreResult> SettleAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ChallengeSettlement settlement, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
        {
            Record(tokenHash);
            return Inner.SettleAsync(tenant, tokenHash, settlement, now, limits, cancellationToken);
        }

        public ValueTask<bool> RemovePrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
            Inner.RemovePrincipalAsync(tenant, principalId, cancellationToken);

        public ValueTask<bool> RedeemStepUpAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, long principalId, DateTimeOffset passedAfter, DateTimeOffset now, CancellationToken cancellationToken)
        {
            Record(tokenHash);
            return Inner.RedeemStepUpAsync(tenant, tokenHash, principalId, passedAfter, now, cancellationToken);
        }

        public ValueTask<ChallengeStoreResult> RecordFailureAsync(TenantId tenant, long principalId, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) =>
            Inner.RecordFailureAsync(tenant, principalId, now, limits, cancellationToken);

        public ValueTask<bool> RevokeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, CancellationToken cancellationToken) =>
            Inner.RevokeAsync(tenant, tokenHash, cancellationToken);

        public ValueTask<bool> ResetPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
            Inner.ResetPrincipalAsync(tenant, principalId, cancellationToken);

        public ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
            Inner.PurgeExpiredAsync(now, batchSize, cancellationToken);

        private void Record(params ReadOnlyMemory<byte>[] arguments)
        {
            lock (_arguments)
            {
                foreach (var argument in arguments)
                {
                    _arguments.Add(argument.ToArray());
                }
            }
        }
    }
}
