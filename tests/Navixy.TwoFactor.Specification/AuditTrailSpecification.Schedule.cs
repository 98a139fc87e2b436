using NUnit.Framework;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;

namespace Navixy.TwoFactor.Specification;

/// <summary>
/// The audit trail of scheduled settings changes (policy.md A1 "scheduling and cancelling", S11): one entry when an operation
/// is scheduled, with its moment and the settings it will replace then, one when it is cancelled, none when it comes due.
/// </summary>
public abstract partial class AuditTrailSpecification
{
    [Test]
    [Description("A1 S11 Scheduling appends one entry: the operation, its target, the settings before as they will stand at its moment (pending changes before it included) and after, the moment; its version is the change's id.")]
    public async Task A1_Scheduling_AppendsOneEntry_WithTheMomentAndTheSettingsItWillReplace()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        foreach (var id in new long[] { 1, 2 })
        {
            Assert.That((await engine.Directory.RegisterAccountAsync(tenant, id)).Succeeded, Is.True);
        }

        Assert.That((await engine.Directory.RegisterAccountAsync(tenant, 3, isDemo: true)).Succeeded, Is.True);
        engine.Actor.Actor = new TwoFactorActor("admin:7");
        var enforce = await engine.Settings.EnforceForEveryoneAsync(tenant, EmailOnly, effectiveFrom: Epoch.AddMinutes(10));
        var defaultUpdate = await engine.Settings.UpdateDefaultAsync(tenant, Totp, effectiveFrom: Epoch.AddMinutes(20));
        var all = await engine.Settings.UpdateAsync(tenant, SettingsTarget.All, Totp, effectiveFrom: Epoch.AddMinutes(5));
        var two = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(2), Totp, effectiveFrom: Epoch.AddMinutes(1));
        engine.Time.Advance(TimeSpan.FromSeconds(1));
        var early = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(3, 2, 1), TwoFactorSetting.Disallowed, effectiveFrom: Epoch.AddMinutes(2));
        var late = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1, 2), EmailOrApp, effectiveFrom: Epoch.AddMinutes(30));

        var page = await engine.AuditTrail.ReadAsync(tenant, new AuditTrailQuery { From = Epoch });

        Assert.That(new[] { enforce, defaultUpdate, all, two, early, late }.Select(r => r.Scheduled), Is.All.Not.Null);
        Assert.That(page.Succeeded, Is.True, page.Outcome.ToString());
        var entries = page.Entries!;
        Assert.That(entries.Select(e => (e.Operation, e.Version)), Is.EqualTo(new[]
        {
            (AuditOperation.UpdateSelected, late.Version),
            (AuditOperation.UpdateSelected, early.Version),
            (AuditOperation.UpdateSelected, two.Version),
            (AuditOperation.UpdateAll, all.Version),
            (AuditOperation.UpdateDefault, defaultUpdate.Version),
            (AuditOperation.EnforceForEveryone, enforce.Version),
        }));
        var (eLate, eEarly, eTwo, eAll, eDefault, eEnforce) = (entries[0], entries[1], entries[2], entries[3], entries[4], entries[5]);
        Assert.Multiple(() =>
        {
            Assert.That(entries.Select(e => e.Version), Is.EqualTo(new[] { late, early, two, all, defaultUpdate, enforce }.Select(r => r.Scheduled!.Id)), "the entry's version is the change's id");
            Assert.That(entries.Select(e => e.Actor.Name), Is.All.EqualTo("admin:7"));
            Assert.That(entries.Select(e => e.Moment), Is.EqualTo(new[] { Epoch.AddSeconds(1), Epoch.AddSeconds(1), Epoch, Epoch, Epoch, Epoch }), "the moment it was accepted");
            Assert.That(entries.Select(e => e.EffectiveFrom), Is.EqualTo(new DateTimeOffset?[] { Epoch.AddMinutes(30), Epoch.AddMinutes(2), Epoch.AddMinutes(1), Epoch.AddMinutes(5), Epoch.AddMinutes(20), Epoch.AddMinutes(10) }));
            Assert.That(entries.Select(e => e.CancelledOperation), Is.All.EqualTo(AuditOperation.None));

            Assert.That((eEnforce.SettingBefore, eEnforce.SettingAfter, eEnforce.DefaultBefore), Is.EqualTo(((TwoFactorSetting?)TwoFactorSetting.Disallowed, (TwoFactorSetting?)EmailOnly, (TwoFactorSetting?)TwoFactorSetting.Disallowed)));
            Assert.That(eEnforce.AccountsBefore, Is.Empty, "the accounts an update of all covers are those that exist at its moment");
            Assert.That((eDefault.SettingBefore, eDefault.SettingAfter, eDefault.DefaultBefore), Is.EqualTo(((TwoFactorSetting?)EmailOnly, (TwoFactorSetting?)Totp, (TwoFactorSetting?)null)), "the enforcement pending before it sets the default it replaces");
            Assert.That((eAll.SettingBefore, eAll.SettingAfter), Is.EqualTo(((TwoFactorSetting?)TwoFactorSetting.Disallowed, (TwoFactorSetting?)Totp)), "the enforcement comes after it");
            Assert.That((eTwo.AccountIds, eTwo.SettingBefore, eTwo.SettingAfter), Is.EqualTo((new long[] { 2 }, (TwoFactorSetting?)null, (TwoFactorSetting?)Totp)));
            Assert.That(eTwo.AccountsBefore, Is.EquivalentTo(new Dictionary<TwoFactorSetting, long> { [TwoFactorSetting.Disallowed] = 1 }));
            Assert.That(eEarly.AccountIds, Is.EqualTo(new long[] { 1, 2, 3 }), "the ids in order");
            Assert.That(eEarly.AccountsBefore, Is.EquivalentTo(new Dictionary<TwoFactorSetting, long> { [TwoFactorSetting.Disallowed] = 1, [Totp] = 1 }), "account 2 by the change pending before it; demo account 3 is not counted");
            Assert.That(eLate.AccountsBefore, Is.EquivalentTo(new Dictionary<TwoFactorSetting, long> { [EmailOnly] = 2 }), "the enforcement at 10 minutes is the last change before 30 minutes for both");
        });
    }

    [Test]
    [Description("A1 S11 Cancelling appends one entry naming the cancelled operation, its moment, what it would have set and its id; a change that comes due appends no second entry.")]
    public async Task A1_Cancelling_AppendsOneEntry_AndAChangeThatComesDueAppendsNone()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        Assert.That((await engine.Directory.RegisterAccountAsync(tenant, 1)).Succeeded, Is.True);
        var kept = await engine.Settings.UpdateAsync(tenant, SettingsTarget.All, EmailOnly, effectiveFrom: Epoch.AddMinutes(5));
        var cancelled = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), Totp, effectiveFrom: Epoch.AddMinutes(10));
        engine.Time.Advance(TimeSpan.FromMinutes(1));
        engine.Actor.Actor = new TwoFactorActor("admin:8");

        var cancel = await engine.Settings.CancelScheduledAsync(tenant, cancelled.Scheduled!.Id);
        engine.Time.Advance(TimeSpan.FromMinutes(20));
        Assert.That((await engine.Directory.RegisterAccountAsync(tenant, 2)).Succeeded, Is.True, "a write folds the due change in");
        var read = await engine.Settings.ReadAsync(tenant, 1);
        var page = await engine.AuditTrail.ReadAsync(tenant, new AuditTrailQuery { From = Epoch });

        Assert.That(cancel.Succeeded, Is.True, cancel.ToString());
        Assert.That(read.Setting, Is.EqualTo(EmailOnly), "the kept change applied, the cancelled one never");
        Assert.That(page.Entries!.Select(e => (e.Operation, e.Version)), Is.EqualTo(new[]
        {
            (AuditOperation.ScheduledChangeCancelled, cancel.Version),
            (AuditOperation.UpdateSelected, cancelled.Version),
            (AuditOperation.UpdateAll, kept.Version),
        }), "no entry when the update of all came due: its scheduling entry records it with its moment");
        var entry = page.Entries![0];
        Assert.Multiple(() =>
        {
            Assert.That((entry.Actor.Name, entry.Moment, entry.CancelledOperation), Is.EqualTo(("admin:8", Epoch.AddMinutes(1), AuditOperation.UpdateSelected)));
            Assert.That((entry.EffectiveFrom, entry.SettingAfter, entry.Detail), Is.EqualTo(((DateTimeOffset?)Epoch.AddMinutes(10), (TwoFactorSetting?)Totp, cancelled.Scheduled.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            Assert.That(entry.AccountIds, Is.EqualTo(new long[] { 1 }));
            Assert.That((entry.SettingBefore, entry.DefaultBefore, entry.AccountsBefore.Count), Is.EqualTo(((TwoFactorSetting?)null, (TwoFactorSetting?)null, 0)));
            Assert.That(cancel.Version, Is.GreaterThan(cancelled.Version));
        });
    }

    [Test]
    [Description("A1 S11 A rejected or dry-run scheduling and a cancellation of nothing pending (unknown, another tenant's, cancelled already, applied already) append nothing.")]
    public async Task A1_RejectedAndDryRunSchedulingAndCancellingNothing_AppendNothing()
    {
        using var engine = CreateEngine();
        var tenant = NewTenant();
        var other = NewTenant();
        Assert.That((await engine.Directory.RegisterAccountAsync(tenant, 1)).Succeeded, Is.True);
        Assert.That((await engine.Directory.RegisterSubUserAsync(tenant, 10, 1)).Succeeded, Is.True);
        var later = Epoch.AddDays(1);

        Assert.That((await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1, 99), EmailOnly, effectiveFrom: later)).Succeeded, Is.False);
        Assert.That((await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(10), EmailOnly, effectiveFrom: later)).Succeeded, Is.False);
        Assert.That((await engine.Settings.UpdateAsync(tenant, SettingsTarget.All, TwoFactorSetting.Allowed(FactorTypes.None), effectiveFrom: later)).Succeeded, Is.False);
        Assert.That((await engine.Settings.UpdateAsync(tenant, SettingsTarget.All, EmailOnly, dryRun: true, effectiveFrom: later)).IsDryRun, Is.True);
        Assert.That((await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), EmailOnly, dryRun: true, effectiveFrom: later)).IsDryRun, Is.True);
        Assert.That((await engine.Settings.UpdateDefaultAsync(tenant, EmailOnly, dryRun: true, effectiveFrom: later)).IsDryRun, Is.True);
        Assert.That((await engine.Settings.EnforceForEveryoneAsync(tenant, EmailOnly, dryRun: true, effectiveFrom: later)).IsDryRun, Is.True);
        Assert.That((await engine.Settings.CancelScheduledAsync(tenant, 12345)).IsNotFound, Is.True);
        Assert.That((await engine.AuditTrail.ReadAsync(tenant, new AuditTrailQuery { From = Epoch })).Entries, Is.Empty);

        var scheduled = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), EmailOnly, effectiveFrom: Epoch.AddMinutes(1));
        var due = await engine.Settings.UpdateDefaultAsync(tenant, EmailOnly, effectiveFrom: Epoch.AddMinutes(2));
        Assert.That((await engine.Settings.CancelScheduledAsync(other, scheduled.Scheduled!.Id)).IsNotFound, Is.True, "another tenant's");
        Assert.That((await engine.Settings.CancelScheduledAsync(tenant, scheduled.Scheduled.Id)).Succeeded, Is.True);
        Assert.That((await engine.Settings.CancelScheduledAsync(tenant, scheduled.Scheduled.Id)).IsNotFound, Is.True, "cancelled already");
        engine.Time.Advance(TimeSpan.FromMinutes(3));
        Assert.That((await engine.Settings.CancelScheduledAsync(tenant, due.Scheduled!.Id)).IsNotFound, Is.True, "applied already");

        var page = await engine.AuditTrail.ReadAsync(tenant, new AuditTrailQuery { From = Epoch });
        var others = await engine.AuditTrail.ReadAsync(other, new AuditTrailQuery { From = Epoch });

        Assert.That(page.Entries!.Select(e => e.Operation), Is.EqualTo(new[] { AuditOperation.ScheduledChangeCancelled, AuditOperation.UpdateDefault, AuditOperation.UpdateSelected }));
        Assert.That(others.Entries, Is.Empty);
    }
}
