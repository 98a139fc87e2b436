using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Devices;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Stores.AuditTrail;
using Navixy.TwoFactor.Stores.Devices;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Specification;

/// <summary>
/// Remembered devices (policy.md D1–D3, security.md item 37) through the public services: a token after a pass, honoured
/// at start for its tenant and principal only, void after a settings change, a reset, a replaced factor, forgetting and
/// expiry, capped per principal, listed and forgotten with audit entries. Every store gives the same answers.
/// </summary>
public abstract partial class RememberedDeviceSpecification : PolicyOverTimeSpecification
{
    private static readonly TimeSpan Period = TimeSpan.FromDays(30);

    [Test]
    [Description("D1 After a pass the host gets a device token (>=128 bits, once); D2 a start presenting it answers not required (remembered device) and creates no challenge.")]
    public async Task D1_D2_TokenAfterAPass_IsHonouredAtStart()
    {
        using var engine = CreateEngine();
        var (tenant, token) = await RememberedAsync(engine, 7);

        var messagesBefore = engine.Sender.CountFor(tenant, 7);
        engine.Time.Advance(TimeSpan.FromDays(1));
        var start = await engine.Challenges.StartAsync(tenant, 7, token);

        Assert.That(token, Has.Length.EqualTo(43), "256 random bits, base64url");
        Assert.That((start.Outcome, start.Reason, start.Token), Is.EqualTo((ChallengeStartOutcome.NotRequired, NotRequiredReason.RememberedDevice, (string?)null)));
        Assert.That(engine.Sender.CountFor(tenant, 7), Is.EqualTo(messagesBefore), "no code sent");
        var devices = (await Devices(engine).ListAsync(tenant, 7))!;
        Assert.That(devices.Select(d => (d.Label, d.LastUsedAt, d.ExpiresAt)), Is.EqualTo(new[] { ("Firefox", (DateTimeOffset?)engine.Time.GetUtcNow(), devices[0].IssuedAt + Period) }));
    }

    [Test]
    [Description("D1 A device token needs a fresh, unredeemed pass of the principal; the tenant's remember period is off by default and at most 90 days.")]
    public async Task D1_RememberingNeedsAPassAndAPeriod()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await RegisterAccountAsync(engine, tenant, 7);
        await RegisterAccountAsync(engine, tenant, 8);
        var pass = await PassWithEmailAsync(engine, tenant, 7);

        var off = await Devices(engine).RememberAsync(tenant, 7, pass);
        Assert.That(await Devices(engine).SetRememberPeriodAsync(tenant, TimeSpan.FromDays(91)), Is.False);
        Assert.That(await Devices(engine).SetRememberPeriodAsync(tenant, TimeSpan.FromTicks(-1)), Is.False);
        Assert.That(await Devices(engine).SetRememberPeriodAsync(tenant, TimeSpan.FromDays(90)), Is.True);
        var otherPrincipal = await Devices(engine).RememberAsync(tenant, 8, pass);
        var noPass = await Devices(engine).RememberAsync(tenant, 7, null);
        var remembered = await Devices(engine).RememberAsync(tenant, 7, pass);
        var again = await Devices(engine).RememberAsync(tenant, 7, pass);
        var stalePass = await PassWithEmailAsync(engine, tenant, 7);
        engine.Time.Advance(TimeSpan.FromMinutes(6));
        var stale = await Devices(engine).RememberAsync(tenant, 7, stalePass);
        var unknown = await Devices(engine).RememberAsync(tenant, 99, pass);

        Assert.Multiple(() =>
        {
            Assert.That(off.Outcome, Is.EqualTo(RememberDeviceOutcome.RememberingOff));
            Assert.That(otherPrincipal.Outcome, Is.EqualTo(RememberDeviceOutcome.PassRequired), "another principal's pass");
            Assert.That(noPass.Outcome, Is.EqualTo(RememberDeviceOutcome.PassRequired));
            Assert.That(remembered.Outcome, Is.EqualTo(RememberDeviceOutcome.Remembered));
            Assert.That(again.Outcome, Is.EqualTo(RememberDeviceOutcome.PassRequired), "a pass buys one device");
            Assert.That(stale.Outcome, Is.EqualTo(RememberDeviceOutcome.PassRequired), "a pass older than the step-up lifetime");
            Assert.That(unknown.Outcome, Is.EqualTo(RememberDeviceOutcome.UnknownPrincipal));
            Assert.That(remembered.ToString(), Does.Not.Contain(remembered.Token!));
        });
    }

    [Test]
    [Description("D2 A token of another principal or another tenant, a malformed or unknown one, is ignored: the start goes on as without it.")]
    public async Task D2_TokenOfAnotherPrincipalOrTenant_IsIgnored()
    {
        using var engine = CreateEngine();
        var (tenant, token) = await RememberedAsync(engine, 7);
        await RegisterAccountAsync(engine, tenant, 8);
        var other = NewTenant();
        await RegisterAccountAsync(engine, other, 7);

        engine.Time.Advance(SendCooldown);
        var anotherPrincipal = await engine.Challenges.StartAsync(tenant, 8, token);
        var anotherTenant = await engine.Challenges.StartAsync(other, 7, token);
        var malformed = await engine.Challenges.StartAsync(tenant, 7, "not a token");
        engine.Time.Advance(SendCooldown);
        var unknown = await engine.Challenges.StartAsync(tenant, 7, new string('A', 43));

        Assert.That(
            new[] { anotherPrincipal.Outcome, anotherTenant.Outcome, malformed.Outcome, unknown.Outcome },
            Is.All.EqualTo(ChallengeStartOutcome.Started));
        var ignored = engine.Events.Events.Where(e => e.Kind == TwoFactorAuditEventKind.RememberedDeviceIgnored).Select(e => (e.Tenant, e.PrincipalId));
        Assert.That(ignored, Is.EqualTo(new[] { (tenant, (long?)8), (other, (long?)7), (tenant, (long?)7), (tenant, (long?)7) }), "every ignored token is audited");
        engine.Time.Advance(SendCooldown);
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, token)).Reason, Is.EqualTo(NotRequiredReason.RememberedDevice), "still valid for its own principal");
    }

    [Test]
    [Description("C4 D2 The lockout wins: a locked principal's start answers PrincipalLocked with its end even with a valid device token, and the token's last use is not touched; once unlocked the token is honoured again.")]
    public async Task C4_D2_LockedPrincipal_WithAValidDeviceToken_IsLocked_AndTheTokenIsUntouched()
    {
        using var engine = CreateEngine();
        var (tenant, token) = await RememberedAsync(engine, 7);
        var usedBefore = (await Devices(engine).ListAsync(tenant, 7))!.Single().LastUsedAt;
        var until = await LockAsync(engine, tenant, 7);

        engine.Time.Advance(TimeSpan.FromMinutes(1));
        var locked = await engine.Challenges.StartAsync(tenant, 7, token);
        var usedWhileLocked = (await Devices(engine).ListAsync(tenant, 7))!.Single().LastUsedAt;
        var sent = engine.Sender.CountFor(tenant, 7);
        engine.Time.Advance(until - engine.Time.GetUtcNow());
        var afterTheLockout = await engine.Challenges.StartAsync(tenant, 7, token);

        Assert.Multiple(() =>
        {
            Assert.That((locked.Outcome, locked.LockedUntil, locked.Reason), Is.EqualTo((ChallengeStartOutcome.PrincipalLocked, (DateTimeOffset?)until, NotRequiredReason.None)));
            Assert.That(usedWhileLocked, Is.EqualTo(usedBefore), "a locked start does not touch the token");
            Assert.That(engine.Sender.CountFor(tenant, 7), Is.EqualTo(sent), "nothing sent");
            Assert.That((afterTheLockout.Outcome, afterTheLockout.Reason), Is.EqualTo((ChallengeStartOutcome.NotRequired, NotRequiredReason.RememberedDevice)), "the lockout over, the token is honoured");
        });

        var relocked = await LockAsync(engine, tenant, 7);
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, token)).Outcome, Is.EqualTo(ChallengeStartOutcome.PrincipalLocked));
        Assert.That((await engine.Administration.UnlockAsync(tenant, 7)), Is.EqualTo(PrincipalUnlockOutcome.Unlocked));
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, token)).Reason, Is.EqualTo(NotRequiredReason.RememberedDevice), $"unlocked before {relocked:O}");
    }

    [Test]
    [Description("D2 Any settings change that applies to the principal's account voids its tokens: update selected, update all, enforce for everyone.")]
    public async Task D2_SettingsChangeThatApplies_VoidsTheToken()
    {
        using var engine = CreateEngine();
        var (tenant, token) = await RememberedAsync(engine, 7);
        await RegisterAccountAsync(engine, tenant, 8);
        Assert.That((await engine.Directory.RegisterSubUserAsync(tenant, 70, 7)).Succeeded, Is.True);
        var subUserToken = await RememberAsync(engine, tenant, 70);

        // Changes that do not apply to account 7 leave its token valid.
        Assert.That((await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(8), EmailOnly)).Succeeded, Is.True);
        Assert.That((await engine.Settings.UpdateDefaultAsync(tenant, EmailOnly)).Succeeded, Is.True);
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, token)).Reason, Is.EqualTo(NotRequiredReason.RememberedDevice));

        Assert.That((await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(7), EmailOrApp)).Succeeded, Is.True);
        engine.Time.Advance(SendCooldown);
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, token)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "voided by an update of account 7");
        engine.Time.Advance(SendCooldown);
        Assert.That((await engine.Challenges.StartAsync(tenant, 70, subUserToken)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "the sub-user follows its account");

        var fresh = await RememberAsync(engine, tenant, 7);
        Assert.That((await engine.Settings.UpdateAsync(tenant, SettingsTarget.All, EmailOrApp)).Succeeded, Is.True);
        engine.Time.Advance(SendCooldown);
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, fresh)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "voided by an update of all accounts");
        Assert.That(await Devices(engine).ListAsync(tenant, 7), Is.Empty, "a void device is not listed");
    }

    [Test]
    [Description("D2 An admin reset, a new or replaced authenticator and removing it void the principal's tokens.")]
    public async Task D2_ResetReplacedOrRemovedFactor_VoidsTheTokens()
    {
        using var engine = CreateEngine();
        var (tenant, token) = await RememberedAsync(engine, 7);

        await EnrolAsync(engine, tenant, 7);
        engine.Time.Advance(SendCooldown);
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, token)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "an authenticator added");

        var afterEnrolment = await RememberAsync(engine, tenant, 7);
        Assert.That((await engine.Administration.ResetAsync(tenant, 7)).Outcome, Is.EqualTo(TotpEnrollmentOutcome.Reset));
        engine.Time.Advance(SendCooldown);
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, afterEnrolment)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "an admin reset");

        await EnrolAsync(engine, tenant, 7);
        var beforeDisable = await RememberAsync(engine, tenant, 7);
        var disabled = await engine.Enrollment.DisableAsync(tenant, 7, await PassWithEmailAsync(engine, tenant, 7));
        Assert.That(disabled.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Disabled));
        engine.Time.Advance(SendCooldown);
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, beforeDisable)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "the authenticator removed");
    }

    [Test]
    [Description("D2 A token expires with the tenant's remember period, and switching the period off voids every token at once.")]
    public async Task D2_Expiry_AndPeriodOff()
    {
        using var engine = CreateEngine();
        var (tenant, token) = await RememberedAsync(engine, 7);
        var second = await RememberAsync(engine, tenant, 7);

        engine.Time.Advance(Period - TimeSpan.FromMinutes(10));
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, second)).Reason, Is.EqualTo(NotRequiredReason.RememberedDevice), "just before the end");
        engine.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, token)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "the first expired");

        Assert.That(await Devices(engine).SetRememberPeriodAsync(tenant, TimeSpan.Zero), Is.True);
        engine.Time.Advance(SendCooldown);
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, second)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "remembering switched off");
    }

    [Test]
    [Description("D2 A token voided by switching the period off or shortening it stays void when the period is raised again: the change forgets the devices it ended.")]
    public async Task D2_PeriodOffOrShortened_ThenRaisedAgain_VoidedTokensStayVoid()
    {
        using var engine = CreateEngine();
        var (tenant, early) = await RememberedAsync(engine, 7);
        engine.Time.Advance(TimeSpan.FromDays(5));
        var late = await RememberAsync(engine, tenant, 7);

        Assert.That(await Devices(engine).SetRememberPeriodAsync(tenant, TimeSpan.FromDays(3)), Is.True, "shortened: the early device ends");
        Assert.That(await Devices(engine).SetRememberPeriodAsync(tenant, Period), Is.True, "raised again");
        engine.Time.Advance(SendCooldown);
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, early)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "ended by the shorter period");
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, late)).Reason, Is.EqualTo(NotRequiredReason.RememberedDevice), "still inside the shorter period");
        Assert.That((await Devices(engine).ListAsync(tenant, 7))!.Count, Is.EqualTo(1), "the ended device is forgotten");

        Assert.That(await Devices(engine).SetRememberPeriodAsync(tenant, TimeSpan.Zero), Is.True, "off");
        Assert.That(await Devices(engine).SetRememberPeriodAsync(tenant, Period), Is.True, "on again");
        engine.Time.Advance(SendCooldown);
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, late)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "switched off in between");
        Assert.That(await Devices(engine).ListAsync(tenant, 7), Is.Empty);
    }

    [Test]
    [Description("D3 At most N devices are kept per principal, the oldest dropped first; one or all are forgotten, each audited.")]
    public async Task D3_CapForgetOneAndAll_Audited()
    {
        using var engine = CreateEngine(options: o => o.RememberedDevices.MaxPerPrincipal = 3);
        var tenant = NewTenant();
        await RegisterAccountAsync(engine, tenant, 7);
        Assert.That(await Devices(engine).SetRememberPeriodAsync(tenant, Period), Is.True);
        var tokens = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            tokens.Add(await RememberAsync(engine, tenant, 7, $"device {i}"));
        }

        var listed = (await Devices(engine).ListAsync(tenant, 7))!;
        Assert.That(listed.Select(d => d.Label), Is.EqualTo(new[] { "device 1", "device 2", "device 3" }), "the oldest dropped");
        engine.Time.Advance(SendCooldown);
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, tokens[0])).Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "the dropped one is void");

        engine.Actor.Actor = new TwoFactorActor("user:7");
        Assert.That(await Devices(engine).ForgetAsync(tenant, 7, listed[0].DeviceId), Is.True);
        Assert.That(await Devices(engine).ForgetAsync(tenant, 7, listed[0].DeviceId), Is.False);
        engine.Time.Advance(SendCooldown);
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, tokens[1])).Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "forgotten");
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, tokens[2])).Reason, Is.EqualTo(NotRequiredReason.RememberedDevice));

        engine.Actor.Actor = new TwoFactorActor("admin:3");
        Assert.That(await Devices(engine).ForgetAllAsync(tenant, 7), Is.EqualTo(2));
        Assert.That(await Devices(engine).ForgetAllAsync(tenant, 7), Is.Zero);
        engine.Time.Advance(SendCooldown);
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, tokens[3])).Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "all forgotten");

        var trail = await engine.AuditTrail.ReadAsync(tenant, new AuditTrailQuery { PrincipalId = 7, PageSize = 2 });
        Assert.That(trail.Entries!.Select(e => (e.Operation, e.Actor.Name, e.Detail)), Is.EqualTo(new[]
        {
            (AuditOperation.DevicesForgotten, "admin:3", (string?)null),
            (AuditOperation.DevicesForgotten, "user:7", (string?)listed[0].DeviceId),
        }));
    }

    [Test]
    [Description("C10 D3 Removing a principal forgets its devices: an id registered again is not let in by an old token.")]
    public async Task C10_RemovedPrincipal_RegisteredAgain_HasNoRememberedDevice()
    {
        using var engine = CreateEngine();
        var (tenant, token) = await RememberedAsync(engine, 7);

        Assert.That((await engine.Directory.RemoveAsync(tenant, 7)).Succeeded, Is.True);
        await RegisterAccountAsync(engine, tenant, 7);
        engine.Time.Advance(SendCooldown);

        Assert.That((await engine.Challenges.StartAsync(tenant, 7, token)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started));
        Assert.That(await Devices(engine).ListAsync(tenant, 7), Is.Empty);
    }

    [Test]
    [Description("D2 The store's purge deletes, at most a batch per call, exactly the devices expired by their tenant's remember period as it is now (all of a tenant whose period is off or was never set); the others stay honoured.")]
    public async Task D2_PurgeExpired_DeletesExactlyTheExpiredDevices_InBoundedBatches()
    {
        using var engine = CreateEngine();
        var store = engine.Provider.GetRequiredService<IRememberedDeviceStore>();
        var (tenant, first) = await RememberedAsync(engine, 7);
        var firstIssued = (await store.ListAsync(tenant, 7, CancellationToken.None)).Single().IssuedAt;
        engine.Time.Advance(TimeSpan.FromDays(10));
        var second = await RememberAsync(engine, tenant, 7);
        var (switchedOff, _) = await RememberedAsync(engine, 8);
        Assert.That(await Devices(engine).SetRememberPeriodAsync(switchedOff, TimeSpan.Zero), Is.True);
        var neverSet = NewTenant();
        await store.AddAsync(new RememberedDeviceRecord(neverSet, 9, RandomNumberGenerator.GetBytes(32), "never-set", null, engine.Time.GetUtcNow(), null, 0), 10, CancellationToken.None);
        engine.Time.SetUtcNow(firstIssued + Period); // the first is exactly as old as the period: expired; the second is 20 days younger

        var batches = new List<int>();
        do
        {
            batches.Add(await store.PurgeExpiredAsync(engine.Time.GetUtcNow(), 2, CancellationToken.None));
        }
        while (batches[^1] == 2);

        Assert.That(batches, Is.All.InRange(0, 2), "never more than a batch");
        Assert.That(batches.Sum(), Is.GreaterThanOrEqualTo(2), "at least the two expired devices of this test (the store may hold others; switching a period off forgot its tenant's devices at once)");
        Assert.That((await store.ListAsync(tenant, 7, CancellationToken.None)).Select(d => d.IssuedAt), Is.EqualTo(new[] { firstIssued + TimeSpan.FromDays(10) + SendCooldown }), "the second is kept");
        Assert.That(await store.ListAsync(switchedOff, 8, CancellationToken.None), Is.Empty, "every device of a tenant whose period is off");
        Assert.That(await store.ListAsync(neverSet, 9, CancellationToken.None), Is.Empty, "every device of a tenant that never set a period");
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, second)).Reason, Is.EqualTo(NotRequiredReason.RememberedDevice), "a kept device is still honoured");
        engine.Time.Advance(SendCooldown);
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, first)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "the purged one is void");
    }

    /// <summary>Types wrong email codes until the principal is locked (the suite locks after 3); answers the lockout's end.</summary>
    private static async Task<DateTimeOffset> LockAsync(Engine engine, TenantId tenant, long principalId)
    {
        engine.Time.Advance(SendCooldown);
        var started = await engine.Challenges.StartWithFactorAsync(tenant, principalId, FactorTypes.Email);
        Assert.That(started.IsStarted, Is.True, started.ToString());
        var wrong = WrongCode(engine.Sender.LastCode(tenant, principalId));
        for (var i = 0; i < 5; i++)
        {
            var verified = await engine.Challenges.VerifyAsync(tenant, started.Token, wrong);
            if (verified.Outcome == ChallengeVerifyOutcome.PrincipalLocked)
            {
                return verified.LockedUntil!.Value;
            }
        }

        throw new AssertionException("The principal was never locked.");
    }

    private static string WrongCode(string code) => string.Concat(code.Select(c => (char)('0' + ((c - '0' + 1) % 10))));

    /// <summary>The remembered-device service of an engine.</summary>
    protected static ITwoFactorRememberedDevices Devices(Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return engine.Provider.GetRequiredService<ITwoFactorRememberedDevices>();
    }

    /// <summary>A fresh tenant with a 30-day remember period and account <paramref name="accountId"/>, and a device token of it.</summary>
    private static async Task<(TenantId Tenant, string Token)> RememberedAsync(Engine engine, long accountId)
    {
        var tenant = NewTenant();
        await RegisterAccountAsync(engine, tenant, accountId);
        Assert.That(await Devices(engine).SetRememberPeriodAsync(tenant, Period), Is.True);
        return (tenant, await RememberAsync(engine, tenant, accountId, "Firefox"));
    }

    /// <summary>Passes a second step and remembers the device; answers its token.</summary>
    private static async Task<string> RememberAsync(Engine engine, TenantId tenant, long principalId, string? label = null)
    {
        var pass = await PassWithEmailAsync(engine, tenant, principalId);
        var remembered = await Devices(engine).RememberAsync(tenant, principalId, pass, label);
        Assert.That(remembered.Outcome, Is.EqualTo(RememberDeviceOutcome.Remembered), remembered.ToString());
        return remembered.Token!;
    }
}
