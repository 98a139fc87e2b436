using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores.AuditTrail;
using Navixy.TwoFactor.Stores.EnrollmentPeriods;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Specification;

/// <summary>
/// The enrolment period (policy.md G1) through the public services and <see cref="IEnrollmentPeriodStore"/>: a principal
/// that must pass with an authenticator it has not enrolled is let in to enrol from its first start for the tenant's period,
/// once; after it, enrolment required; an admin reset starts it afresh; setting the period is audited. Every store gives the
/// same answers.
/// </summary>
public abstract class EnrollmentPeriodSpecification : PolicyOverTimeSpecification
{
    /// <summary>An authenticator app only.</summary>
    protected static readonly TwoFactorSetting AppOnly = TwoFactorSetting.Allowed(FactorTypes.Totp);

    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    [Test]
    [Description("G1 Without an enrolment period (the default) a principal without the authenticator it needs gets EnrollmentRequired with no end, and no start is recorded.")]
    public async Task G1_DefaultNone_KeepsEnrollmentRequired()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await RegisterAccountAsync(engine, tenant, 7, AppOnly);

        var started = await engine.Challenges.StartAsync(tenant, 7);

        Assert.That((started.Outcome, started.EnrollUntil, started.Token), Is.EqualTo((ChallengeStartOutcome.EnrollmentRequired, (DateTimeOffset?)null, (string?)null)));
        Assert.That(await Periods(engine).GetPeriodAsync(tenant), Is.EqualTo(TimeSpan.Zero));
        Assert.That(await Store(engine).ClearStartAsync(tenant, 7, null, CancellationToken.None), Is.False, "no period, no start");
    }

    [Test]
    [Description("G1 From the first start the principal is inside its period: EnrollNow until T = start + period, the same T at every later start; at and after T, EnrollmentRequired carrying T. The resolver says required throughout and no challenge is made.")]
    public async Task G1_BeforeAtAndAfterT()
    {
        using var engine = CreateEngine();
        var tenant = await TenantWithPeriodAsync(engine, Week);
        await RegisterAccountAsync(engine, tenant, 7, AppOnly);
        engine.Time.Advance(TimeSpan.FromHours(5));
        var firstAt = engine.Time.GetUtcNow();
        var t = firstAt + Week;

        var first = await engine.Challenges.StartAsync(tenant, 7);
        engine.Time.Advance(TimeSpan.FromDays(3));
        var later = await engine.Challenges.StartAsync(tenant, 7);
        engine.Time.Advance(t - engine.Time.GetUtcNow() - TimeSpan.FromTicks(1));
        var justBefore = await engine.Challenges.StartAsync(tenant, 7);
        var resolvedInside = await engine.Provider.GetRequiredService<ITwoFactorResolver>().ResolveAsync(tenant, 7);
        engine.Time.Advance(TimeSpan.FromTicks(1));
        var atT = await engine.Challenges.StartAsync(tenant, 7);
        engine.Time.Advance(TimeSpan.FromDays(30));
        var after = await engine.Challenges.StartAsync(tenant, 7);
        var resolvedAfter = await engine.Provider.GetRequiredService<ITwoFactorResolver>().ResolveAsync(tenant, 7);

        Assert.Multiple(() =>
        {
            Assert.That((first.Outcome, first.EnrollUntil), Is.EqualTo((ChallengeStartOutcome.EnrollNow, (DateTimeOffset?)t)));
            Assert.That((later.Outcome, later.EnrollUntil), Is.EqualTo((ChallengeStartOutcome.EnrollNow, (DateTimeOffset?)t)), "a later start answers the same T");
            Assert.That((justBefore.Outcome, justBefore.EnrollUntil), Is.EqualTo((ChallengeStartOutcome.EnrollNow, (DateTimeOffset?)t)));
            Assert.That((atT.Outcome, atT.EnrollUntil), Is.EqualTo((ChallengeStartOutcome.EnrollmentRequired, (DateTimeOffset?)t)), "at T it is over");
            Assert.That((after.Outcome, after.EnrollUntil), Is.EqualTo((ChallengeStartOutcome.EnrollmentRequired, (DateTimeOffset?)t)));
            Assert.That(new[] { first, later, justBefore, atT, after }.Select(s => (s.IsStarted, s.Token)), Is.All.EqualTo((false, (string?)null)), "never a challenge, never a pass");
            Assert.That(new[] { resolvedInside.Outcome, resolvedAfter.Outcome }, Is.All.EqualTo(RequirementOutcome.Required), "the resolver still says required");
            Assert.That(first.ToString(), Does.StartWith("EnrollNow until"));
        });
    }

    [Test]
    [Description("G1 The period begins at the principal's first start in the must-enrol state, not when the tenant sets it; a start before the tenant had a period records nothing.")]
    public async Task G1_ThePeriodBeginsAtTheFirstStart_NotWhenSet()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await RegisterAccountAsync(engine, tenant, 7, AppOnly);
        await RegisterAccountAsync(engine, tenant, 8, AppOnly);

        var beforeAnyPeriod = await engine.Challenges.StartAsync(tenant, 7);
        Assert.That(await Periods(engine).SetPeriodAsync(tenant, Week), Is.True);
        engine.Time.Advance(TimeSpan.FromDays(2));
        var seven = await engine.Challenges.StartAsync(tenant, 7);
        engine.Time.Advance(TimeSpan.FromDays(2));
        var eight = await engine.Challenges.StartAsync(tenant, 8);

        Assert.That(beforeAnyPeriod.Outcome, Is.EqualTo(ChallengeStartOutcome.EnrollmentRequired));
        Assert.That(seven.EnrollUntil, Is.EqualTo(Epoch + TimeSpan.FromDays(2) + Week));
        Assert.That(eight.EnrollUntil, Is.EqualTo(Epoch + TimeSpan.FromDays(4) + Week), "each principal's own first start");
    }

    [Test]
    [Description("G1 T4 Inside its period a principal enrols its first authenticator without step-up (it has no other way to pass); confirming ends the period's purpose: the next start runs the authenticator. The period starts once per principal: removing the authenticator itself does not start a new one.")]
    public async Task G1_EnrollingInsideThePeriod_ThenTheNextStartRunsTheAuthenticator_AndThePeriodStartsOnce()
    {
        using var engine = CreateEngine();
        var tenant = await TenantWithPeriodAsync(engine, Week);
        await RegisterAccountAsync(engine, tenant, 7, AppOnly);
        var t = Epoch + Week;
        Assert.That((await engine.Challenges.StartAsync(tenant, 7)).Outcome, Is.EqualTo(ChallengeStartOutcome.EnrollNow));

        var begun = await engine.Enrollment.BeginAsync(tenant, 7, "Fleet", "driver");
        Assert.That(begun.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Begun), "no step-up: no other way to pass (T4)");
        var app = TestAuthenticator.From(begun);
        Assert.That((await engine.Enrollment.ConfirmAsync(tenant, 7, app.CodeAt(engine.Time.GetUtcNow()))).Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
        engine.Time.Advance(TimeSpan.FromMinutes(1));
        var login = await engine.Challenges.StartAsync(tenant, 7);
        var passed = await engine.Challenges.VerifyAsync(tenant, login.Token, app.CodeAt(engine.Time.GetUtcNow()));

        Assert.That((login.Outcome, login.Factor, login.EnrollUntil), Is.EqualTo((ChallengeStartOutcome.Started, FactorTypes.Totp, (DateTimeOffset?)null)));
        Assert.That(passed.IsPassed, Is.True, passed.ToString());

        // Turning the authenticator off does not start a second period: the first one's T still holds.
        Assert.That((await engine.Enrollment.DisableAsync(tenant, 7, login.Token)).Outcome, Is.EqualTo(TotpEnrollmentOutcome.Disabled));
        var afterDisable = await engine.Challenges.StartAsync(tenant, 7);
        engine.Time.Advance(Week);
        var afterT = await engine.Challenges.StartAsync(tenant, 7);
        Assert.That((afterDisable.Outcome, afterDisable.EnrollUntil), Is.EqualTo((ChallengeStartOutcome.EnrollNow, (DateTimeOffset?)t)));
        Assert.That((afterT.Outcome, afterT.EnrollUntil), Is.EqualTo((ChallengeStartOutcome.EnrollmentRequired, (DateTimeOffset?)t)));
    }

    [Test]
    [Description("G1 An admin reset starts the principal's period afresh, also when it has no authenticator (its period ended): one AdminReset entry; the next start begins a new period. A reset with nothing to reset answers NotEnrolled and appends nothing.")]
    public async Task G1_AdminReset_StartsThePeriodAfresh()
    {
        using var engine = CreateEngine();
        var tenant = await TenantWithPeriodAsync(engine, Week);
        await RegisterAccountAsync(engine, tenant, 7, AppOnly);
        await engine.Challenges.StartAsync(tenant, 7);
        engine.Time.Advance(Week + TimeSpan.FromDays(1));
        Assert.That((await engine.Challenges.StartAsync(tenant, 7)).Outcome, Is.EqualTo(ChallengeStartOutcome.EnrollmentRequired));

        engine.Actor.Actor = new TwoFactorActor("admin:9");
        var reset = await engine.Administration.ResetAsync(tenant, 7);
        var nothingLeft = await engine.Administration.ResetAsync(tenant, 7);
        engine.Time.Advance(TimeSpan.FromHours(1));
        var fresh = await engine.Challenges.StartAsync(tenant, 7);

        Assert.That(reset.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Reset));
        Assert.That(nothingLeft.Outcome, Is.EqualTo(TotpEnrollmentOutcome.NotEnrolled), "no start recorded until the next start");
        Assert.That((fresh.Outcome, fresh.EnrollUntil), Is.EqualTo((ChallengeStartOutcome.EnrollNow, (DateTimeOffset?)(engine.Time.GetUtcNow() + Week))));
        var trail = await engine.AuditTrail.ReadAsync(tenant, new AuditTrailQuery { PrincipalId = 7 });
        Assert.That(trail.Entries!.Where(e => e.Operation == AuditOperation.AdminReset).Select(e => (e.Actor.Name, e.Factor)), Is.EqualTo(new[] { ("admin:9", FactorTypes.Totp) }), "one entry");
    }

    [Test]
    [Description("G1 A1 A reset of an enrolled principal whose period had started removes the authenticator and restarts the period with one audit entry.")]
    public async Task G1_AdminResetOfAnEnrolledPrincipal_OneEntry_AndANewPeriod()
    {
        using var engine = CreateEngine();
        var tenant = await TenantWithPeriodAsync(engine, Week);
        await RegisterAccountAsync(engine, tenant, 7, AppOnly);
        await engine.Challenges.StartAsync(tenant, 7);
        var begun = await engine.Enrollment.BeginAsync(tenant, 7, "Fleet", "driver");
        Assert.That((await engine.Enrollment.ConfirmAsync(tenant, 7, TestAuthenticator.From(begun).CodeAt(engine.Time.GetUtcNow()))).Succeeded, Is.True);
        engine.Time.Advance(Week * 2);

        Assert.That((await engine.Administration.ResetAsync(tenant, 7)).Outcome, Is.EqualTo(TotpEnrollmentOutcome.Reset));
        var fresh = await engine.Challenges.StartAsync(tenant, 7);

        Assert.That((fresh.Outcome, fresh.EnrollUntil), Is.EqualTo((ChallengeStartOutcome.EnrollNow, (DateTimeOffset?)(engine.Time.GetUtcNow() + Week))));
        var trail = await engine.AuditTrail.ReadAsync(tenant, new AuditTrailQuery { PrincipalId = 7 });
        Assert.That(trail.Entries!.Count(e => e.Operation == AuditOperation.AdminReset), Is.EqualTo(1));
    }

    [Test]
    [Description("G1 Demo and not-required principals, and principals that can pass by email, are unaffected: no enrolment period is started for them.")]
    public async Task G1_DemoNotRequiredAndEmailPrincipals_AreUnaffected()
    {
        using var engine = CreateEngine();
        var tenant = await TenantWithPeriodAsync(engine, Week);
        Assert.That((await engine.Directory.RegisterAccountAsync(tenant, 5, isDemo: true)).Succeeded, Is.True);
        Assert.That((await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(5), AppOnly)).Succeeded, Is.True);
        await RegisterAccountAsync(engine, tenant, 6, TwoFactorSetting.Disallowed);
        await RegisterAccountAsync(engine, tenant, 7, EmailOrApp);

        var demo = await engine.Challenges.StartAsync(tenant, 5);
        var disallowed = await engine.Challenges.StartAsync(tenant, 6);
        var email = await engine.Challenges.StartAsync(tenant, 7);

        Assert.That((demo.Outcome, demo.Reason), Is.EqualTo((ChallengeStartOutcome.NotRequired, NotRequiredReason.DemoAccount)));
        Assert.That(disallowed.Outcome, Is.EqualTo(ChallengeStartOutcome.NotRequired));
        Assert.That((email.Outcome, email.Factor), Is.EqualTo((ChallengeStartOutcome.Started, FactorTypes.Email)), "email can pass: no period");
        foreach (var id in new long[] { 5, 6, 7 })
        {
            Assert.That(await Store(engine).ClearStartAsync(tenant, id, null, CancellationToken.None), Is.False, $"no start recorded for {id}");
        }
    }

    [Test]
    [Description("G1 Concurrent first starts agree on one T: of many concurrent BeginAsync calls at different moments, every one answers the same recorded start, one of those moments.")]
    public async Task G1_ConcurrentFirstStarts_AgreeOnOneT()
    {
        using var engine = CreateEngine();
        var tenant = await TenantWithPeriodAsync(engine, Week);
        var store = Store(engine);
        for (long principal = 1; principal <= 20; principal++)
        {
            var id = principal;
            var answers = await RaceAsync(16, i => store.BeginAsync(tenant, id, Epoch + TimeSpan.FromSeconds(i), CancellationToken.None).AsTask());

            var starts = answers.Select(a => a.StartedAt).Distinct().ToArray();
            Assert.That(starts, Has.Length.EqualTo(1), $"principal {id}: one start");
            Assert.That(starts[0], Is.Not.Null.And.InRange(Epoch, Epoch + TimeSpan.FromSeconds(15)));
            Assert.That(answers.Select(a => a.EnrollUntil).Distinct(), Is.EqualTo(new[] { starts[0] + Week }));
        }

        await RegisterAccountAsync(engine, tenant, 99, AppOnly);
        var racing = await RaceAsync(16, _ => engine.Challenges.StartAsync(tenant, 99).AsTask());
        Assert.That(racing.Select(r => (r.Outcome, r.EnrollUntil)).Distinct(), Is.EqualTo(new[] { (ChallengeStartOutcome.EnrollNow, (DateTimeOffset?)(Epoch + Week)) }));
    }

    [Test]
    [Description("A1 A2 Setting the enrolment period appends one entry with the actor and the new period; a value out of 0 to 90 days is refused, changes nothing and appends nothing.")]
    public async Task A1_SettingTheEnrolmentPeriod_AppendsOneEntry()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        engine.Actor.Actor = new TwoFactorActor("admin:5");

        var tooLong = await Periods(engine).SetPeriodAsync(tenant, EnrollmentPeriodRule.MaxPeriod + TimeSpan.FromTicks(1));
        var negative = await Periods(engine).SetPeriodAsync(tenant, TimeSpan.FromTicks(-1));
        var set = await Periods(engine).SetPeriodAsync(tenant, TimeSpan.FromDays(14));
        engine.Time.Advance(TimeSpan.FromSeconds(1));
        var longest = await Periods(engine).SetPeriodAsync(tenant, EnrollmentPeriodRule.MaxPeriod);
        var off = await Periods(engine).SetPeriodAsync(tenant, TimeSpan.Zero);

        Assert.That((tooLong, negative, set, longest, off), Is.EqualTo((false, false, true, true, true)));
        Assert.That(await Periods(engine).GetPeriodAsync(tenant), Is.EqualTo(TimeSpan.Zero));
        var trail = await engine.AuditTrail.ReadAsync(tenant);
        Assert.That(
            trail.Entries!.Select(e => (e.Operation, e.Actor.Name, e.Detail, e.Moment, e.PrincipalId)),
            Is.EqualTo(new[]
            {
                (AuditOperation.EnrollmentPeriodChanged, "admin:5", (string?)"00:00:00", Epoch.AddSeconds(1), (long?)null),
                (AuditOperation.EnrollmentPeriodChanged, "admin:5", (string?)"90.00:00:00", Epoch.AddSeconds(1), (long?)null),
                (AuditOperation.EnrollmentPeriodChanged, "admin:5", (string?)"14.00:00:00", Epoch, (long?)null),
            }));
    }

    [Test]
    [Description("C10 G1 Removing a principal removes its period start: an id registered again starts a new period at its first start.")]
    public async Task C10_RemovedPrincipal_RegisteredAgain_StartsANewPeriod()
    {
        using var engine = CreateEngine();
        var tenant = await TenantWithPeriodAsync(engine, Week);
        await RegisterAccountAsync(engine, tenant, 7, AppOnly);
        await engine.Challenges.StartAsync(tenant, 7);
        engine.Time.Advance(Week * 2);

        Assert.That((await engine.Directory.RemoveAsync(tenant, 7)).Succeeded, Is.True);
        await RegisterAccountAsync(engine, tenant, 7, AppOnly);
        var again = await engine.Challenges.StartAsync(tenant, 7);

        Assert.That((again.Outcome, again.EnrollUntil), Is.EqualTo((ChallengeStartOutcome.EnrollNow, (DateTimeOffset?)(engine.Time.GetUtcNow() + Week))));
    }

    [Test]
    [Description("G1 S7 Every store method keys by tenant and principal: periods, starts and their clearing of one tenant or principal leave the others alone.")]
    public async Task G1_StoreMethods_ArePerTenantAndPrincipal()
    {
        using var engine = CreateEngine();
        var store = Store(engine);
        var (a, b) = (NewTenant(), NewTenant());
        var audit = new AuditContext(new TwoFactorActor("admin:1"), Epoch);

        await store.SetPeriodAsync(a, Week, audit, CancellationToken.None);
        var beganA = await store.BeginAsync(a, 7, Epoch, CancellationToken.None);
        var beganB = await store.BeginAsync(b, 7, Epoch, CancellationToken.None);
        var againA = await store.BeginAsync(a, 7, Epoch + TimeSpan.FromDays(1), CancellationToken.None);
        var otherPrincipal = await store.BeginAsync(a, 8, Epoch + TimeSpan.FromDays(2), CancellationToken.None);
        var clearedB = await store.ClearStartAsync(b, 7, audit, CancellationToken.None);
        var clearedA = await store.ClearStartAsync(a, 7, audit, CancellationToken.None);
        var clearedTwice = await store.ClearStartAsync(a, 7, audit, CancellationToken.None);
        var afterClear = await store.BeginAsync(a, 7, Epoch + TimeSpan.FromDays(3), CancellationToken.None);

        var periods = (await store.GetPeriodAsync(a, CancellationToken.None), await store.GetPeriodAsync(b, CancellationToken.None));
        var entriesA = (await engine.AuditTrail.ReadAsync(a)).Entries!;
        var entriesB = (await engine.AuditTrail.ReadAsync(b)).Entries!;

        Assert.Multiple(() =>
        {
            Assert.That(periods, Is.EqualTo((Week, TimeSpan.Zero)));
            Assert.That(beganA, Is.EqualTo(new EnrollmentPeriodState(Week, Epoch)));
            Assert.That(beganB, Is.EqualTo(new EnrollmentPeriodState(TimeSpan.Zero, null)), "tenant b has no period");
            Assert.That(againA, Is.EqualTo(beganA), "recorded once");
            Assert.That(otherPrincipal.StartedAt, Is.EqualTo(Epoch + TimeSpan.FromDays(2)));
            Assert.That((clearedB, clearedA, clearedTwice), Is.EqualTo((false, true, false)));
            Assert.That(afterClear, Is.EqualTo(new EnrollmentPeriodState(Week, Epoch + TimeSpan.FromDays(3))), "a new start after the clear");
            Assert.That(entriesA.Select(e => (e.Operation, e.PrincipalId)), Is.EqualTo(new[] { (AuditOperation.AdminReset, (long?)7), (AuditOperation.EnrollmentPeriodChanged, (long?)null) }), "one entry per audited change");
            Assert.That(entriesB, Is.Empty);
        });
    }

    /// <summary>The enrolment-period service of an engine.</summary>
    protected static ITwoFactorEnrollmentPeriods Periods(Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return engine.Provider.GetRequiredService<ITwoFactorEnrollmentPeriods>();
    }

    /// <summary>The enrolment-period store under test.</summary>
    protected static IEnrollmentPeriodStore Store(Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return engine.Provider.GetRequiredService<IEnrollmentPeriodStore>();
    }

    /// <summary>A fresh tenant with the given enrolment period.</summary>
    protected static async Task<TenantId> TenantWithPeriodAsync(Engine engine, TimeSpan period)
    {
        var tenant = NewTenant();
        Assert.That(await Periods(engine).SetPeriodAsync(tenant, period), Is.True);
        return tenant;
    }

    /// <summary>Runs <paramref name="count"/> operations released at once on thread-pool threads.</summary>
    private static async Task<T[]> RaceAsync<T>(int count, Func<int, Task<T>> operation)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            return await operation(i);
        })).ToArray();
        gate.SetResult();
        return await Task.WhenAll(tasks);
    }
}
