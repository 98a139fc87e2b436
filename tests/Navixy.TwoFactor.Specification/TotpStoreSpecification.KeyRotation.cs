using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Specification;

/// <summary>
/// Key rotation (security.md item 36) over the stores under test: engines configured with different key rings over the same
/// stores stand for the nodes of a deployment before, during and after a rotation. A store must implement
/// <see cref="Stores.ITotpSecretRewrapStore"/> for the re-wrap to run.
/// </summary>
public abstract partial class TotpStoreSpecification
{
    /// <summary>A second key (32 bytes, base64), key id 1 in the rotation tests.</summary>
    protected static readonly string NewKeyMaterial = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());

    /// <summary>How many principals the re-wrap-under-load test enrols.</summary>
    protected virtual int RotationLoadPrincipals => 40;

    [Test]
    [Description("security.md item 36: with a new primary and the old key kept, every secret, token and code issued before still works")]
    public async Task KeyRotation_NewPrimaryOldKeyKept_EverythingIssuedBeforeStillWorks()
    {
        var time = new FakeTimeProvider(Epoch);
        using var before = CreateEngine(time);
        var tenant = NewTenant();
        await AddAccountAsync(before, tenant, 7, FactorTypes.Totp);
        await AddAccountAsync(before, tenant, 8, FactorTypes.Email);
        var (app, _) = await EnrolAsync(before, tenant, 7);
        var stepUp = await PassAsync(before, tenant, 7);
        var openTotp = await before.Challenges.StartAsync(tenant, 7);
        var openEmail = await before.Challenges.StartAsync(tenant, 8);
        var emailCode = before.Sender.LastCode(tenant, 8);

        using var rotated = CreateEngine(time, NewPrimary);
        time.Advance(TimeSpan.FromSeconds(30));
        var totp = await rotated.Challenges.VerifyAsync(tenant, openTotp.Token, app.CodeAt(time.GetUtcNow()));
        var email = await rotated.Challenges.VerifyAsync(tenant, openEmail.Token, emailCode);
        var regenerated = await rotated.Enrollment.RegenerateRecoveryCodesAsync(tenant, 7, stepUp);
        time.Advance(TimeSpan.FromSeconds(30));
        var login = await LoginAsync(rotated, tenant, 7, app.CodeAt(time.GetUtcNow()));

        Assert.That(totp.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed), "an authenticator challenge opened under the old primary");
        Assert.That(email.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed), "an email code digested under the old primary");
        Assert.That(regenerated.Outcome, Is.EqualTo(TotpEnrollmentOutcome.RecoveryCodesRegenerated), "step-up granted under the old primary");
        Assert.That(login.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed), "a secret protected with the old primary");
    }

    [Test]
    [Description("security.md item 36: a pending enrolment begun under the old primary confirms under the new one")]
    public async Task KeyRotation_PendingEnrolmentBegunBefore_ConfirmsAfter()
    {
        var time = new FakeTimeProvider(Epoch);
        using var before = CreateEngine(time);
        var tenant = NewTenant();
        await AddAccountAsync(before, tenant, 7, FactorTypes.Totp);
        var app = TestAuthenticator.From(await before.Enrollment.BeginAsync(tenant, 7, "Fleet", "driver"));

        using var rotated = CreateEngine(time, NewPrimary);
        var confirmed = await rotated.Enrollment.ConfirmAsync(tenant, 7, app.CodeAt(time.GetUtcNow()));

        Assert.That(confirmed.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
    }

    [Test]
    [Description("security.md item 36: after re-wrapping, removing the old key breaks nothing; a blob naming an unknown key fails closed")]
    public async Task KeyRotation_RewrapThenRemoveOldKey_LoginsPassAndOldOnlyNodeFailsClosed()
    {
        var time = new FakeTimeProvider(Epoch);
        using var before = CreateEngine(time);
        var tenant = NewTenant();
        var apps = new Dictionary<long, TestAuthenticator>();
        foreach (var principal in new long[] { 7, 8, 9 })
        {
            await AddAccountAsync(before, tenant, principal, FactorTypes.Totp);
            apps[principal] = (await EnrolAsync(before, tenant, principal)).App;
        }

        using var rotated = CreateEngine(time, NewPrimary);
        var rewrap = await Rotation(rotated).RewrapSecretsAsync(tenant, batchSize: 2);
        var again = await Rotation(rotated).RewrapSecretsAsync(tenant);

        using var after = CreateEngine(time, o =>
        {
            o.KeyMaterial = null;
            NewPrimary(o);
        });
        var logins = new List<ChallengeVerifyOutcome>();
        foreach (var (principal, app) in apps)
        {
            logins.Add((await LoginAsync(after, tenant, principal, app.CodeAt(time.GetUtcNow()))).Outcome);
        }

        time.Advance(TimeSpan.FromSeconds(30));
        var oldKeyOnly = await LoginAsync(before, tenant, 7, apps[7].CodeAt(time.GetUtcNow()));

        Assert.That(rewrap, Is.EqualTo(new KeyRewrapResult(KeyRewrapOutcome.Completed, 3, 3, 0, 0)));
        Assert.That(again, Is.EqualTo(new KeyRewrapResult(KeyRewrapOutcome.Completed, 3, 0, 0, 0)), "nothing left to move");
        Assert.That(logins, Is.All.EqualTo(ChallengeVerifyOutcome.Passed));
        Assert.That(oldKeyOnly.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Failed), "a node without the key a secret names cannot read it");
    }

    [Test]
    [Description("security.md item 36: a token naming a key the ring does not hold fails closed")]
    public async Task KeyRotation_TokenNamingUnknownKey_IsAnUnknownToken()
    {
        var time = new FakeTimeProvider(Epoch);
        using var rotated = CreateEngine(time, NewPrimary);
        using var oldNode = CreateEngine(time);
        var tenant = NewTenant();
        await AddAccountAsync(rotated, tenant, 8, FactorTypes.Email);
        var started = await rotated.Challenges.StartAsync(tenant, 8);

        var verified = await oldNode.Challenges.VerifyAsync(tenant, started.Token, rotated.Sender.LastCode(tenant, 8));
        var resent = await oldNode.Challenges.ResendAsync(tenant, started.Token);
        var onItsOwnNode = await rotated.Challenges.VerifyAsync(tenant, started.Token, rotated.Sender.LastCode(tenant, 8));

        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.UnknownToken));
        Assert.That(resent.Outcome, Is.EqualTo(ChallengeResendOutcome.UnknownToken));
        Assert.That(onItsOwnNode.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed), "refused without counting an attempt");
    }

    [Test]
    [Description("security.md item 36: logins verifying and remembered devices (issued under the old primary) presented while a re-wrap runs all pass, and replays stay refused after it")]
    public async Task KeyRotation_RewrapUnderLoad_EveryLoginPassesAndStepsStaySpent()
    {
        var time = new FakeTimeProvider(Epoch);
        using var before = CreateEngine(time);
        var tenant = NewTenant();
        var principals = Enumerable.Range(1, RotationLoadPrincipals).Select(i => (long)i).ToArray();
        var apps = new Dictionary<long, TestAuthenticator>();
        foreach (var principal in principals)
        {
            await AddAccountAsync(before, tenant, principal, FactorTypes.Totp);
            var begun = await before.Enrollment.BeginAsync(tenant, principal, "Fleet", "driver");
            apps[principal] = TestAuthenticator.From(begun);
            Assert.That((await before.Enrollment.ConfirmAsync(tenant, principal, apps[principal].CodeAt(time.GetUtcNow()))).Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
        }

        // As many email accounts with a device remembered under the old primary (security.md item 37 under rotation).
        Assert.That(await Devices(before).SetRememberPeriodAsync(tenant, RememberPeriod), Is.True);
        var remembered = new Dictionary<long, string>();
        foreach (var principal in principals.Select(p => p + 1_000))
        {
            await AddAccountAsync(before, tenant, principal, FactorTypes.Email);
            remembered[principal] = await RememberWithEmailAsync(before, tenant, principal);
        }

        time.Advance(TimeSpan.FromSeconds(30));
        using var rotated = CreateEngine(time, NewPrimary);
        var started = new Dictionary<long, string>();
        foreach (var principal in principals)
        {
            started[principal] = (await rotated.Challenges.StartAsync(tenant, principal)).Token!;
        }

        var code = principals.ToDictionary(p => p, p => apps[p].CodeAt(time.GetUtcNow()));
        async Task<ChallengeVerifyOutcome> LoginRewrapOrRememberedStart(int i)
        {
            if (i < principals.Length)
            {
                return (await rotated.Challenges.VerifyAsync(tenant, started[principals[i]], code[principals[i]])).Outcome;
            }

            if (i == principals.Length)
            {
                return (await Rotation(rotated).RewrapSecretsAsync(tenant, batchSize: 1)).IsCompleted ? ChallengeVerifyOutcome.Passed : ChallengeVerifyOutcome.Failed;
            }

            var device = principals[i - principals.Length - 1] + 1_000;
            var start = await rotated.Challenges.StartAsync(tenant, device, remembered[device]);
            return start.Reason == NotRequiredReason.RememberedDevice ? ChallengeVerifyOutcome.Passed : ChallengeVerifyOutcome.Failed;
        }

        var results = await RaceAsync((2 * principals.Length) + 1, LoginRewrapOrRememberedStart);
        var replay = await LoginAsync(rotated, tenant, principals[0], code[principals[0]]);

        Assert.That(results, Is.All.EqualTo(ChallengeVerifyOutcome.Passed));
        Assert.That(replay.Outcome, Is.EqualTo(ChallengeVerifyOutcome.AlreadyUsed), "the spent step survived its secret's re-wrap");
        Assert.That((await Rotation(rotated).RewrapSecretsAsync(tenant)).Rewrapped, Is.Zero, "everything moved");
    }

    /// <summary>Key 1 added as the primary; key 0 (the shared material) kept for reading.</summary>
    protected static void NewPrimary(TwoFactorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Keys[1] = NewKeyMaterial;
        options.PrimaryKeyId = 1;
    }

    private static ITwoFactorKeyRotation Rotation(Engine engine) => engine.Provider.GetRequiredService<ITwoFactorKeyRotation>();
}
