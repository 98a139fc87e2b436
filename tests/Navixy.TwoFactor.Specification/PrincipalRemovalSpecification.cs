using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Specification;

/// <summary>
/// Removing a principal removes everything the engine holds for it — its setting and, for an account, its sub-users;
/// enrolment, recovery codes, open challenges, lockout — and a principal registered later under the same id starts clean
/// (policy.md C10, security.md item 35), exercised through the public services so that every store gives the same answers.
/// </summary>
public abstract class PrincipalRemovalSpecification : StoreSpecification
{
    /// <summary>Key material every engine of the suite shares (32 bytes, base64).</summary>
    protected static readonly string SharedKeyMaterial = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());

    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The email start cooldown per principal (policy.md C9): the clock moves on this much between email starts.</summary>
    private static readonly TimeSpan SendCooldown = TimeSpan.FromMinutes(1);

    private static readonly TwoFactorSetting EmailOrApp = TwoFactorSetting.Allowed(FactorTypes.Email | FactorTypes.Totp);

    /// <summary>Wrong codes in a row that lock a principal in this suite (low, so that a few failures lock).</summary>
    private const int LockoutThreshold = 3;

    [Test]
    [Description("C10 An account removed and registered again under the same id has no enrolment, recovery code, challenge or lockout.")]
    public async Task C10_RemovedAccount_RegisteredAgain_StartsClean()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await RegisterAccountAsync(engine, tenant, 7);
        var left = await LeaveEverythingBehindAsync(engine, tenant, 7);

        var removed = await engine.Directory.RemoveAsync(tenant, 7);
        await RegisterAccountAsync(engine, tenant, 7);

        Assert.That(removed.Succeeded, Is.True, removed.ToString());
        Assert.That(removed.RemovedPrincipalIds, Is.EqualTo(new long[] { 7 }));
        await AssertStartsCleanAsync(engine, tenant, 7, left);
    }

    [Test]
    [Description("C10 A sub-user removed through its account's removal and registered again under the same id starts clean.")]
    public async Task C10_SubUserRemovedWithItsAccount_RegisteredAgain_StartsClean()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await RegisterAccountAsync(engine, tenant, 7);
        Assert.That((await engine.Directory.RegisterSubUserAsync(tenant, 70, 7)).Succeeded, Is.True);
        var accountLeft = await LeaveEverythingBehindAsync(engine, tenant, 7);
        var subUserLeft = await LeaveEverythingBehindAsync(engine, tenant, 70);

        var removed = await engine.Directory.RemoveAsync(tenant, 7);
        await RegisterAccountAsync(engine, tenant, 7);
        Assert.That((await engine.Directory.RegisterSubUserAsync(tenant, 70, 7)).Succeeded, Is.True);

        Assert.That(removed.Succeeded, Is.True, removed.ToString());
        Assert.That(removed.Affected, Is.EqualTo(2));
        Assert.That(removed.RemovedPrincipalIds, Is.EquivalentTo(new long[] { 7, 70 }));
        await AssertStartsCleanAsync(engine, tenant, 70, subUserLeft);
        await AssertStartsCleanAsync(engine, tenant, 7, accountLeft);
    }

    [Test]
    [Description("C10 A sub-user removed on its own and registered again starts clean; its account keeps everything.")]
    public async Task C10_SubUserRemovedAlone_StartsClean_AndItsAccountKeepsItsState()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await RegisterAccountAsync(engine, tenant, 7);
        Assert.That((await engine.Directory.RegisterSubUserAsync(tenant, 70, 7)).Succeeded, Is.True);
        var accountLeft = await LeaveEverythingBehindAsync(engine, tenant, 7);
        var subUserLeft = await LeaveEverythingBehindAsync(engine, tenant, 70);

        var removed = await engine.Directory.RemoveAsync(tenant, 70);
        Assert.That((await engine.Directory.RegisterSubUserAsync(tenant, 70, 7)).Succeeded, Is.True);

        Assert.That(removed.RemovedPrincipalIds, Is.EqualTo(new long[] { 70 }));
        await AssertStartsCleanAsync(engine, tenant, 70, subUserLeft);
        await AssertUntouchedAsync(engine, tenant, 7, accountLeft);
    }

    [Test]
    [Description("C10 Removing a principal leaves the principal with the same numeric id in another tenant untouched (S7).")]
    public async Task C10_RemovedPrincipal_SameIdInAnotherTenant_IsUntouched()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var other = NewTenant();
        await RegisterAccountAsync(engine, tenant, 7);
        await RegisterAccountAsync(engine, other, 7);
        Assert.That((await engine.Directory.RegisterSubUserAsync(other, 70, 7)).Succeeded, Is.True);
        Assert.That((await engine.Directory.RegisterSubUserAsync(tenant, 70, 7)).Succeeded, Is.True);
        await LeaveEverythingBehindAsync(engine, tenant, 7);
        var otherLeft = await LeaveEverythingBehindAsync(engine, other, 7);
        var otherSubUserLeft = await LeaveEverythingBehindAsync(engine, other, 70);

        var removed = await engine.Directory.RemoveAsync(tenant, 7);

        Assert.That(removed.RemovedPrincipalIds, Is.EquivalentTo(new long[] { 7, 70 }));
        await AssertUntouchedAsync(engine, other, 7, otherLeft);
        await AssertUntouchedAsync(engine, other, 70, otherSubUserLeft);
    }

    [Test]
    [Description("C10 Removing an id that is not registered answers not found and changes nothing anywhere.")]
    public async Task C10_RemovingAnUnknownId_AnswersNotFound_AndTouchesNoOtherPrincipal()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await RegisterAccountAsync(engine, tenant, 7);
        var left = await LeaveEverythingBehindAsync(engine, tenant, 7);

        var removed = await engine.Directory.RemoveAsync(tenant, 8);

        Assert.That((removed.Succeeded, removed.Error, removed.Affected), Is.EqualTo((false, DirectoryErrorCode.NotFound, 0L)));
        Assert.That(removed.RemovedPrincipalIds, Is.Empty);
        await AssertUntouchedAsync(engine, tenant, 7, left);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /// <summary>What a principal left behind: an open challenge's token, its recovery codes, and until when it is locked.</summary>
    protected sealed record LeftBehind(string OpenToken, IReadOnlyList<string> RecoveryCodes, DateTimeOffset LockedUntil);

    /// <summary>
    /// Gives a principal everything C10 names: an enrolled authenticator with recovery codes, an open challenge, and wrong
    /// codes that lock it. Answers what a removal must make useless.
    /// </summary>
    protected static async Task<LeftBehind> LeaveEverythingBehindAsync(Engine engine, TenantId tenant, long principalId)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var stepUp = await PassWithEmailAsync(engine, tenant, principalId);
        var begun = await engine.Enrollment.BeginAsync(tenant, principalId, "Fleet", "driver", stepUp);
        Assert.That(begun.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Begun), $"principal {principalId}: {begun}");
        var app = TestAuthenticator.From(begun);
        var confirmed = await engine.Enrollment.ConfirmAsync(tenant, principalId, app.CodeAt(engine.Time.GetUtcNow()));
        Assert.That(confirmed.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed), $"principal {principalId}: {confirmed}");

        var open = await engine.Challenges.StartAsync(tenant, principalId);
        var failing = await engine.Challenges.StartAsync(tenant, principalId);
        Assert.That((open.Outcome, open.Factor), Is.EqualTo((ChallengeStartOutcome.Started, FactorTypes.Totp)), $"principal {principalId}");
        Assert.That(failing.Outcome, Is.EqualTo(ChallengeStartOutcome.Started), $"principal {principalId}");
        for (var i = 0; i < LockoutThreshold; i++)
        {
            await engine.Challenges.VerifyAsync(tenant, failing.Token, app.WrongCodeAt(engine.Time.GetUtcNow()));
        }

        var locked = await engine.Challenges.StartAsync(tenant, principalId);
        Assert.That(locked.Outcome, Is.EqualTo(ChallengeStartOutcome.PrincipalLocked), $"principal {principalId} is locked");
        Assert.That(await engine.Enrollment.GetStatusAsync(tenant, principalId), Is.EqualTo(new TotpEnrollmentStatus(true, false, confirmed.RecoveryCodes.Count)));
        return new LeftBehind(open.Token!, confirmed.RecoveryCodes, locked.LockedUntil!.Value);
    }

    /// <summary>Asserts that a principal registered again inherited nothing of what <paramref name="left"/> names.</summary>
    protected static async Task AssertStartsCleanAsync(Engine engine, TenantId tenant, long principalId, LeftBehind left)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(left);
        Assert.That(await engine.Enrollment.GetStatusAsync(tenant, principalId), Is.EqualTo(new TotpEnrollmentStatus(false, false, 0)), $"principal {principalId}: no enrolment, no recovery code");

        var stale = await engine.Challenges.VerifyAsync(tenant, left.OpenToken, "123456");
        Assert.That(stale.Outcome, Is.EqualTo(ChallengeVerifyOutcome.UnknownToken), $"principal {principalId}: the old challenge is gone");

        engine.Time.Advance(SendCooldown);
        var started = await engine.Challenges.StartAsync(tenant, principalId);
        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Started), $"principal {principalId}: not locked ({started})");
        Assert.That(started.Factor, Is.EqualTo(FactorTypes.Email), $"principal {principalId}: no authenticator to choose");

        var withOldRecoveryCode = await engine.Challenges.VerifyAsync(tenant, started.Token, left.RecoveryCodes[0]);
        Assert.That(withOldRecoveryCode.Outcome, Is.EqualTo(ChallengeVerifyOutcome.WrongCode), $"principal {principalId}: the old recovery code is gone");
        Assert.That(withOldRecoveryCode.LockedUntil, Is.Null, $"principal {principalId}: one wrong code does not lock a clean principal");
    }

    /// <summary>Asserts that a principal still has everything <see cref="LeaveEverythingBehindAsync"/> gave it.</summary>
    protected static async Task AssertUntouchedAsync(Engine engine, TenantId tenant, long principalId, LeftBehind left)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(left);
        Assert.That(await engine.Enrollment.GetStatusAsync(tenant, principalId), Is.EqualTo(new TotpEnrollmentStatus(true, false, left.RecoveryCodes.Count)), $"principal {principalId}: still enrolled");

        var start = await engine.Challenges.StartAsync(tenant, principalId);
        Assert.That((start.Outcome, start.LockedUntil), Is.EqualTo((ChallengeStartOutcome.PrincipalLocked, (DateTimeOffset?)left.LockedUntil)), $"principal {principalId}: still locked");

        var open = await engine.Challenges.VerifyAsync(tenant, left.OpenToken, left.RecoveryCodes[0]);
        Assert.That(open.Outcome, Is.EqualTo(ChallengeVerifyOutcome.PrincipalLocked), $"principal {principalId}: its open challenge is still there");
    }

    /// <summary>Registers an account that may use email or an authenticator app.</summary>
    protected static async Task RegisterAccountAsync(Engine engine, TenantId tenant, long accountId)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var registered = await engine.Directory.RegisterAccountAsync(tenant, accountId);
        Assert.That(registered.Succeeded, Is.True, registered.ToString());
        var updated = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(accountId), EmailOrApp);
        Assert.That(updated.Succeeded, Is.True, updated.ToString());
    }

    /// <summary>Passes an email second step (after the per-principal send cooldown); answers its token, for step-up proof.</summary>
    protected static async Task<string> PassWithEmailAsync(Engine engine, TenantId tenant, long principalId)
    {
        ArgumentNullException.ThrowIfNull(engine);
        engine.Time.Advance(SendCooldown);
        var started = await engine.Challenges.StartWithFactorAsync(tenant, principalId, FactorTypes.Email);
        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Started), $"principal {principalId}: {started}");
        var verified = await engine.Challenges.VerifyAsync(tenant, started.Token, engine.Sender.LastCode(tenant, principalId));
        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed), $"principal {principalId}: {verified}");
        return started.Token!;
    }

    /// <summary>Builds an engine with the stores under test, a recording sender, the shared key and a low lockout threshold.</summary>
    protected Engine CreateEngine(FakeTimeProvider? time = null)
    {
        time ??= new FakeTimeProvider(Epoch);
        var sender = new RecordingEmailSender();
        var provider = CreateProvider(time, services =>
        {
            services.AddSingleton<IEmailCodeSender>(sender);
            services.Configure<TwoFactorOptions>(o =>
            {
                o.KeyMaterial = SharedKeyMaterial;
                o.Totp.RecoveryCodeIterations = TotpOptions.MinRecoveryCodeIterations;
                o.Challenges.PrincipalLockoutThreshold = LockoutThreshold;
            });
        });
        return new Engine(provider, time, sender);
    }

    /// <summary>One engine instance: its provider, clock, sender and services.</summary>
    protected sealed class Engine(ServiceProvider provider, FakeTimeProvider time, RecordingEmailSender sender) : IDisposable
    {
        public FakeTimeProvider Time { get; } = time;

        public RecordingEmailSender Sender { get; } = sender;

        public ITwoFactorChallenges Challenges => provider.GetRequiredService<ITwoFactorChallenges>();

        public ITotpEnrollment Enrollment => provider.GetRequiredService<ITotpEnrollment>();

        public ITwoFactorDirectory Directory => provider.GetRequiredService<ITwoFactorDirectory>();

        public ITwoFactorSettings Settings => provider.GetRequiredService<ITwoFactorSettings>();

        public void Dispose() => provider.Dispose();
    }
}
