using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Stores.AuditTrail;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Specification;

/// <summary>
/// The audit trail (policy.md A1–A3) through the public services: one entry per accepted change with its actor, moment,
/// target and settings before and after; nothing for rejected or dry-run operations; newest-first pages by an opaque
/// cursor, filtered by time and principal, per tenant, bounded by the retention. Every store gives the same answers.
/// </summary>
public abstract partial class AuditTrailSpecification : PolicyOverTimeSpecification
{
    private static readonly TwoFactorSetting Totp = TwoFactorSetting.Allowed(FactorTypes.Totp);

    [Test]
    [Description("A1 Update all, update selected, default update and enforce for everyone each append one entry: actor, moment, operation, target, settings before and after.")]
    public async Task A1_EverySettingsOperation_AppendsOneEntry_WithBeforeAndAfter()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        foreach (var id in new long[] { 1, 2 })
        {
            Assert.That((await engine.Directory.RegisterAccountAsync(tenant, id)).Succeeded, Is.True);
        }

        Assert.That((await engine.Directory.RegisterAccountAsync(tenant, 3, isDemo: true)).Succeeded, Is.True);

        engine.Actor.Actor = new TwoFactorActor("admin:7");
        var all = await engine.Settings.UpdateAsync(tenant, SettingsTarget.All, EmailOnly);
        engine.Time.Advance(TimeSpan.FromSeconds(1));
        engine.Actor.Actor = new TwoFactorActor("admin:8");
        var selected = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1, 3), Totp);
        engine.Time.Advance(TimeSpan.FromSeconds(1));
        var defaultUpdate = await engine.Settings.UpdateDefaultAsync(tenant, Totp);
        engine.Time.Advance(TimeSpan.FromSeconds(1));
        var everyone = await engine.Settings.EnforceForEveryoneAsync(tenant, TwoFactorSetting.Disallowed);

        var page = await engine.AuditTrail.ReadAsync(tenant);

        Assert.That(page.Succeeded, Is.True, page.Outcome.ToString());
        Assert.That(page.Entries!.Select(e => e.Operation), Is.EqualTo(new[] { AuditOperation.EnforceForEveryone, AuditOperation.UpdateDefault, AuditOperation.UpdateSelected, AuditOperation.UpdateAll }));
        Assert.That(page.NextCursor, Is.Null);
        var entries = page.Entries!;
        var (e4, e3, e2, e1) = (entries[0], entries[1], entries[2], entries[3]);
        Assert.Multiple(() =>
        {
            Assert.That((e1.Tenant, e1.Actor.Name, e1.Moment, e1.Version), Is.EqualTo((tenant, "admin:7", Epoch, all.Version)));
            Assert.That((e1.SettingBefore, e1.SettingAfter, e1.DefaultBefore, e1.PrincipalId), Is.EqualTo(((TwoFactorSetting?)TwoFactorSetting.Disallowed, (TwoFactorSetting?)EmailOnly, (TwoFactorSetting?)null, (long?)null)));
            Assert.That(e1.AccountsBefore, Is.EquivalentTo(new Dictionary<TwoFactorSetting, long> { [TwoFactorSetting.Disallowed] = 2 }), "two non-demo accounts held Disallowed");

            Assert.That((e2.Actor.Name, e2.Moment, e2.Version, e2.SettingAfter), Is.EqualTo(("admin:8", Epoch.AddSeconds(1), selected.Version, (TwoFactorSetting?)Totp)));
            Assert.That(e2.AccountIds, Is.EquivalentTo(new long[] { 1, 3 }));
            Assert.That(e2.AccountsBefore, Is.EquivalentTo(new Dictionary<TwoFactorSetting, long> { [EmailOnly] = 1 }), "account 1 held email; demo account 3 is not counted");

            Assert.That((e3.SettingBefore, e3.SettingAfter, e3.Version, e3.Moment), Is.EqualTo(((TwoFactorSetting?)TwoFactorSetting.Disallowed, (TwoFactorSetting?)Totp, defaultUpdate.Version, Epoch.AddSeconds(2))));

            Assert.That((e4.SettingBefore, e4.SettingAfter, e4.DefaultBefore, e4.Version), Is.EqualTo(((TwoFactorSetting?)EmailOnly, (TwoFactorSetting?)TwoFactorSetting.Disallowed, (TwoFactorSetting?)Totp, everyone.Version)));
            Assert.That(e4.AccountsBefore, Is.EquivalentTo(new Dictionary<TwoFactorSetting, long> { [EmailOnly] = 1, [Totp] = 1 }));
            Assert.That(entries.Select(e => e.Sequence), Is.Ordered.Descending.And.Unique);
        });
    }

    [Test]
    [Description("A1 Rejected and dry-run operations append nothing.")]
    public async Task A1_RejectedAndDryRunOperations_AppendNothing()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        Assert.That((await engine.Directory.RegisterAccountAsync(tenant, 1)).Succeeded, Is.True);
        Assert.That((await engine.Directory.RegisterSubUserAsync(tenant, 10, 1)).Succeeded, Is.True);

        Assert.That((await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1, 99), EmailOnly)).Succeeded, Is.False);
        Assert.That((await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(10), EmailOnly)).Succeeded, Is.False);
        Assert.That((await engine.Settings.UpdateAsync(tenant, SettingsTarget.All, TwoFactorSetting.Allowed(FactorTypes.None))).Succeeded, Is.False);
        Assert.That((await engine.Settings.UpdateAsync(tenant, SettingsTarget.All, EmailOnly, dryRun: true)).Succeeded, Is.True);
        Assert.That((await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), EmailOnly, dryRun: true)).Succeeded, Is.True);
        Assert.That((await engine.Settings.UpdateDefaultAsync(tenant, EmailOnly, dryRun: true)).Succeeded, Is.True);
        Assert.That((await engine.Settings.EnforceForEveryoneAsync(tenant, EmailOnly, dryRun: true)).Succeeded, Is.True);
        Assert.That(await engine.Administration.UnlockAsync(tenant, 1), Is.EqualTo(PrincipalUnlockOutcome.NothingToUnlock));
        Assert.That((await engine.Administration.ResetAsync(tenant, 1)).Outcome, Is.EqualTo(TotpEnrollmentOutcome.NotEnrolled));

        var page = await engine.AuditTrail.ReadAsync(tenant);

        Assert.That(page.Succeeded, Is.True);
        Assert.That(page.Entries, Is.Empty);
    }

    [Test]
    [Description("A1 Changes of a principal's second-step state append one entry each: enrolment added and removed, admin reset, unlock.")]
    public async Task A1_EnrolmentResetAndUnlock_AppendAnEntryEach_NamingThePrincipal()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        await RegisterAccountAsync(engine, tenant, 7);
        engine.Actor.Actor = new TwoFactorActor("user:7");
        var app = await EnrolAsync(engine, tenant, 7);
        var disabled = await engine.Enrollment.DisableAsync(tenant, 7, await PassWithEmailAsync(engine, tenant, 7));
        Assert.That(disabled.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Disabled));
        app = await EnrolAsync(engine, tenant, 7);

        engine.Actor.Actor = new TwoFactorActor("admin:2");
        Assert.That((await engine.Administration.ResetAsync(tenant, 7)).Outcome, Is.EqualTo(TotpEnrollmentOutcome.Reset));
        engine.Time.Advance(SendCooldown);
        var failing = await engine.Challenges.StartWithFactorAsync(tenant, 7, FactorTypes.Email);
        Assert.That(failing.Outcome, Is.EqualTo(ChallengeStartOutcome.Started));
        var wrong = engine.Sender.LastCode(tenant, 7) == "000000" ? "111111" : "000000";
        for (var i = 0; i < 3; i++)
        {
            await engine.Challenges.VerifyAsync(tenant, failing.Token, wrong);
        }

        Assert.That(await engine.Administration.UnlockAsync(tenant, 7), Is.EqualTo(PrincipalUnlockOutcome.Unlocked));

        var page = await engine.AuditTrail.ReadAsync(tenant, new AuditTrailQuery { PrincipalId = 7 });

        Assert.That(page.Succeeded, Is.True);
        var operations = page.Entries!.Select(e => (e.Operation, e.Actor.Name, e.PrincipalId)).ToArray();
        Assert.That(operations, Is.EqualTo(new[]
        {
            (AuditOperation.Unlock, "admin:2", (long?)7),
            (AuditOperation.AdminReset, "admin:2", (long?)7),
            (AuditOperation.EnrollmentAdded, "user:7", (long?)7),
            (AuditOperation.EnrollmentRemoved, "user:7", (long?)7),
            (AuditOperation.EnrollmentAdded, "user:7", (long?)7),
            (AuditOperation.UpdateSelected, "admin:1", (long?)null),
        }));
        Assert.That(app, Is.Not.Null);
    }

    [Test]
    [Description("A3 Pages come newest first by an opaque cursor, every entry exactly once, while new entries arrive.")]
    public async Task A3_Pages_NewestFirst_EveryEntryOnce_WhileNewEntriesArrive()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        Assert.That((await engine.Directory.RegisterAccountAsync(tenant, 1)).Succeeded, Is.True);
        var versions = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            versions.Add((await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), i % 2 == 0 ? EmailOnly : Totp)).Version);
        }

        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await engine.AuditTrail.ReadAsync(tenant, new AuditTrailQuery { PageSize = 3, Cursor = cursor });
            Assert.That(page.Succeeded, Is.True, page.Outcome.ToString());
            Assert.That(page.Entries!, Has.Count.LessThanOrEqualTo(3));
            seen.AddRange(page.Entries!.Select(e => e.Version));
            cursor = page.NextCursor;
            if (pages++ == 0)
            {
                // A change after the first page is not in the later pages: they continue below the cursor.
                await engine.Settings.UpdateDefaultAsync(tenant, EmailOnly);
            }
        }
        while (cursor is not null);

        Assert.That(pages, Is.EqualTo(3));
        Assert.That(seen, Is.EqualTo(versions.AsEnumerable().Reverse().ToArray()));
    }

    [Test]
    [Description("A3 Filters: a time range [from, to) and a principal (the target of a change or one of a selected update's accounts).")]
    public async Task A3_TimeRangeAndPrincipalFilters_SelectTheMatchingEntries()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        foreach (var id in new long[] { 1, 2 })
        {
            Assert.That((await engine.Directory.RegisterAccountAsync(tenant, id)).Succeeded, Is.True);
        }

        var one = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), EmailOnly);
        engine.Time.Advance(TimeSpan.FromMinutes(1));
        var two = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(2), EmailOnly);
        engine.Time.Advance(TimeSpan.FromMinutes(1));
        var both = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1, 2), Totp);
        engine.Time.Advance(TimeSpan.FromMinutes(1));
        var all = await engine.Settings.UpdateAsync(tenant, SettingsTarget.All, EmailOnly);

        async Task<long[]> VersionsAsync(AuditTrailQuery query)
        {
            var page = await engine.AuditTrail.ReadAsync(tenant, query);
            Assert.That(page.Succeeded, Is.True, page.Outcome.ToString());
            return [.. page.Entries!.Select(e => e.Version)];
        }

        var byOne = await VersionsAsync(new AuditTrailQuery { PrincipalId = 1 });
        var byTwo = await VersionsAsync(new AuditTrailQuery { PrincipalId = 2 });
        var middle = await VersionsAsync(new AuditTrailQuery { From = Epoch.AddMinutes(1), To = Epoch.AddMinutes(3) });
        var late = await VersionsAsync(new AuditTrailQuery { From = Epoch.AddMinutes(3) });
        var early = await VersionsAsync(new AuditTrailQuery { To = Epoch.AddMinutes(1) });
        var twoEarly = await VersionsAsync(new AuditTrailQuery { PrincipalId = 2, To = Epoch.AddMinutes(2) });

        Assert.Multiple(() =>
        {
            Assert.That(byOne, Is.EqualTo(new[] { both.Version, one.Version }));
            Assert.That(byTwo, Is.EqualTo(new[] { both.Version, two.Version }));
            Assert.That(middle, Is.EqualTo(new[] { both.Version, two.Version }));
            Assert.That(late, Is.EqualTo(new[] { all.Version }));
            Assert.That(early, Is.EqualTo(new[] { one.Version }));
            Assert.That(twoEarly, Is.EqualTo(new[] { two.Version }));
        });
    }

    [Test]
    [Description("A3 A tenant never sees another's entries, whatever the filter or cursor.")]
    public async Task A3_ATenantNeverSeesAnothersEntries()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var other = NewTenant();
        Assert.That((await engine.Directory.RegisterAccountAsync(tenant, 1)).Succeeded, Is.True);
        Assert.That((await engine.Directory.RegisterAccountAsync(other, 1)).Succeeded, Is.True);
        await engine.Settings.UpdateAsync(other, SettingsTarget.Selected(1), EmailOnly);
        await engine.Settings.UpdateAsync(other, SettingsTarget.All, EmailOnly);
        var mine = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), Totp);
        var othersPage = await engine.AuditTrail.ReadAsync(other, new AuditTrailQuery { PageSize = 1 });

        var page = await engine.AuditTrail.ReadAsync(tenant, new AuditTrailQuery { PrincipalId = 1 });
        var withOthersCursor = await engine.AuditTrail.ReadAsync(tenant, new AuditTrailQuery { Cursor = othersPage.NextCursor });

        Assert.That(page.Entries!.Select(e => (e.Tenant, e.Version)), Is.EqualTo(new[] { (tenant, mine.Version) }));
        Assert.That(withOthersCursor.Succeeded, Is.True);
        Assert.That(withOthersCursor.Entries!.Select(e => e.Tenant), Is.All.EqualTo(tenant));
    }

    [Test]
    [Description("A3 The retention bounds the trail: older entries are never read, and the purge deletes them.")]
    public async Task A3_Retention_HidesOlderEntries_AndThePurgeDeletesThem()
    {
        using var engine = CreateEngine(options: o => o.AuditTrail.Retention = TimeSpan.FromDays(30));
        var tenant = NewTenant();
        Assert.That((await engine.Directory.RegisterAccountAsync(tenant, 1)).Succeeded, Is.True);
        await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), EmailOnly);
        engine.Time.Advance(TimeSpan.FromDays(20));
        var kept = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), Totp);
        engine.Time.Advance(TimeSpan.FromDays(10) + TimeSpan.FromSeconds(1));

        var page = await engine.AuditTrail.ReadAsync(tenant);
        var purged = await engine.AuditTrail.PurgeAsync();
        var afterPurge = await engine.AuditTrail.ReadAsync(tenant, new AuditTrailQuery { From = Epoch.AddYears(-1) });

        Assert.That(page.Entries!.Select(e => e.Version), Is.EqualTo(new[] { kept.Version }), "the entry of day 0 is past 30 days");
        Assert.That(purged, Is.GreaterThanOrEqualTo(1));
        Assert.That(afterPurge.Entries!.Select(e => e.Version), Is.EqualTo(new[] { kept.Version }));
    }

    [Test]
    [Description("A3 The store's purge deletes entries past the retention at most a batch per call, and keeps the rest.")]
    public async Task A3_StorePurge_DeletesInBoundedBatches_AndKeepsYoungerEntries()
    {
        using var engine = CreateEngine(options: o => o.AuditTrail.Retention = TimeSpan.FromDays(30));
        var tenant = NewTenant();
        Assert.That((await engine.Directory.RegisterAccountAsync(tenant, 1)).Succeeded, Is.True);
        foreach (var setting in new[] { EmailOnly, Totp, EmailOnly })
        {
            await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), setting);
            engine.Time.Advance(TimeSpan.FromMinutes(1));
        }

        engine.Time.Advance(TimeSpan.FromDays(20));
        var kept = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), Totp);
        engine.Time.Advance(TimeSpan.FromDays(10));
        var store = engine.Provider.GetRequiredService<IAuditTrailStore>();

        var batches = new List<int>();
        do
        {
            batches.Add(await store.PurgeAsync(engine.Time.GetUtcNow() - TimeSpan.FromDays(30), 2, CancellationToken.None));
        }
        while (batches[^1] == 2);
        var left = await store.ReadAsync(new AuditTrailRead(tenant, 10, null, DateTimeOffset.MinValue, null, null), CancellationToken.None);

        Assert.That(batches, Is.All.InRange(0, 2), "never more than a batch");
        Assert.That(batches.Sum(), Is.GreaterThanOrEqualTo(3), "at least the three old entries of this test (the store may hold others)");
        Assert.That(left.Select(e => e.Version), Is.EqualTo(new[] { kept.Version }), "read from the store itself, past any retention filter");
    }

    [TestCase("")]
    [TestCase("garbage")]
    [TestCase("a1.AAAAAAAAAAA")]
    [TestCase("a1.!!!!!!!!!!!")]
    [Description("A3 A cursor the engine did not hand out, a page size out of range or an empty range is an invalid query, not an exception.")]
    public async Task A3_MalformedCursor_AnswersInvalidQuery(string cursor)
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();

        var page = await engine.AuditTrail.ReadAsync(tenant, new AuditTrailQuery { Cursor = cursor });
        var tooLarge = await engine.AuditTrail.ReadAsync(tenant, new AuditTrailQuery { PageSize = AuditTrailQuery.MaxPageSize + 1 });
        var empty = await engine.AuditTrail.ReadAsync(tenant, new AuditTrailQuery { From = Epoch, To = Epoch });

        Assert.That((page.Outcome, tooLarge.Outcome, empty.Outcome), Is.EqualTo((AuditTrailReadOutcome.InvalidQuery, AuditTrailReadOutcome.InvalidQuery, AuditTrailReadOutcome.InvalidQuery)));
    }
}
