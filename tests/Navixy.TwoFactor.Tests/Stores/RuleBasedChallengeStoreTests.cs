using NUnit.Framework;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.InMemory;

namespace Navixy.TwoFactor.Tests.Stores;

/// <summary>What the shared specification cannot see of the thin path: argument checks and what stays in the record store.</summary>
public sealed class RuleBasedChallengeStoreTests
{
    private static readonly TenantId Tenant = new(3);
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ChallengeLimits Limits = ChallengeLimits.From(new ChallengeOptions()) with { SendCooldown = TimeSpan.Zero };

    private DictionaryChallengeRecordStore _records = null!;
    private RuleBasedChallengeStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        var totp = new InMemoryTotpStore();
        _records = new DictionaryChallengeRecordStore();
        _store = new RuleBasedChallengeStore(_records, totp, totp);
    }

    [Test]
    public void Operations_HashesOfTheWrongLengthOrAnInvalidTenant_ThrowArgumentException()
    {
        var good = new byte[IChallengeStore.HashLength];
        var shorter = new byte[IChallengeStore.HashLength - 1];

        Assert.That(async () => await _store.CreateAsync(New(1) with { TokenHash = shorter }, Limits, CancellationToken.None), Throws.ArgumentException);
        Assert.That(async () => await _store.CreateAsync(New(1) with { CodeDigest = shorter }, Limits, CancellationToken.None), Throws.ArgumentException);
        Assert.That(async () => await _store.CreateAsync(New(1) with { Tenant = default }, Limits, CancellationToken.None), Throws.ArgumentException);
        Assert.That(async () => await _store.VerifyAsync(Tenant, shorter, good, Epoch, Limits, CancellationToken.None), Throws.ArgumentException);
        Assert.That(async () => await _store.VerifyAsync(Tenant, good, shorter, Epoch, Limits, CancellationToken.None), Throws.ArgumentException);
        Assert.That(async () => await _store.SettleAsync(Tenant, shorter, ChallengeSettlement.Release, Epoch, Limits, CancellationToken.None), Throws.ArgumentException);
        Assert.That(async () => await _store.ReplaceCodeAsync(Tenant, good, shorter, Epoch, Epoch, Epoch, Limits, CancellationToken.None), Throws.ArgumentException);
        Assert.That(async () => await _store.RevokeAsync(default, good, CancellationToken.None), Throws.ArgumentException);
    }

    [Test]
    public async Task Purge_EndedChallenges_LeavesNoRecordAndNoIndexEntry()
    {
        for (byte i = 1; i <= 3; i++)
        {
            Assert.That((await _store.CreateAsync(New(i), Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.Created));
        }

        Assert.That((_records.PrincipalCount, _records.TokenCount), Is.EqualTo((1, 3)));

        var purged = await _store.PurgeExpiredAsync(Epoch + TimeSpan.FromMinutes(15), 2, CancellationToken.None);
        var rest = await _store.PurgeExpiredAsync(Epoch + TimeSpan.FromMinutes(15), 2, CancellationToken.None);

        Assert.That((purged, rest), Is.EqualTo((2, 1)));
        Assert.That((_records.PrincipalCount, _records.TokenCount), Is.EqualTo((0, 0)));
    }

    [Test]
    public async Task Create_BeyondTheOpenCap_DropsTheRevokedChallengesIndexEntries()
    {
        for (byte i = 1; i <= 12; i++)
        {
            await _store.CreateAsync(New(i) with { Factor = FactorTypes.Totp }, Limits, CancellationToken.None);
        }

        Assert.That(_records.TokenCount, Is.EqualTo(Limits.MaxOpenChallenges));
        Assert.That((await _store.FindAsync(Tenant, Hash(1), Epoch, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.NotFound));
        Assert.That((await _store.FindAsync(Tenant, Hash(12), Epoch, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.Open));
    }

    private static NewChallenge New(byte token) => new(
        Tenant, 7, FactorTypes.Email, Hash(token), new byte[IChallengeStore.HashLength], Epoch, Epoch + TimeSpan.FromMinutes(5), Epoch + TimeSpan.FromMinutes(15), Epoch + TimeSpan.FromMinutes(1));

    private static byte[] Hash(byte value) => Enumerable.Repeat(value, IChallengeStore.HashLength).ToArray();
}
