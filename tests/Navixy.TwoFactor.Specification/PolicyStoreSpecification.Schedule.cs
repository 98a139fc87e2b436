using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Specification;

/// <summary>Scheduled settings changes (policy.md S11), for every store: pending, listing, cancelling, folding in.</summary>
public abstract partial class PolicyStoreSpecification
{
    [Test]
    [Description("S11: before its moment a change alters no answer; from it on, as if accepted then, in order of moment then acceptance; a cancelled one never applies")]
    public async Task S11_ScheduledChanges_ApplyFromTheirMomentInOrder_AndACancelledOneNever()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        using var engine = new Engine(CreateProvider(time));
        var tenant = NewTenant();
        var now = time.GetUtcNow();
        await engine.Account(tenant, 1);
        await engine.Account(tenant, 2, isDemo: true);
        await engine.Account(tenant, 3);
        await engine.SubUser(tenant, 4, 1);

        var enforce = await engine.Settings.EnforceForEveryoneAsync(tenant, Email, effectiveFrom: now.AddMinutes(10));
        var selected = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), Totp, effectiveFrom: now.AddMinutes(10));
        var defaultUpdate = await engine.Settings.UpdateDefaultAsync(tenant, Both, effectiveFrom: now.AddMinutes(5));
        var cancelled = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(3), Both, effectiveFrom: now.AddMinutes(20));
        var cancel = await engine.Settings.CancelScheduledAsync(tenant, cancelled.Scheduled!.Id);

        Assert.That(new[] { enforce, selected, defaultUpdate, cancelled }.Select(r => r.Scheduled), Is.All.Not.Null);
        Assert.That(cancel.Succeeded, Is.True, cancel.ToString());
        Assert.That((await engine.Settings.ListScheduledAsync(tenant))!.Select(c => (c.Kind, c.EffectiveFrom - now)), Is.EqualTo(new[]
        {
            (ScheduledChangeKind.Default, TimeSpan.FromMinutes(5)),
            (ScheduledChangeKind.Everyone, TimeSpan.FromMinutes(10)),
            (ScheduledChangeKind.SelectedAccounts, TimeSpan.FromMinutes(10)),
        }));
        Assert.That((await engine.Resolve(tenant, 1)).IsRequired, Is.False, "nothing applies before its moment");
        Assert.That(await engine.Settings.ReadDefaultAsync(tenant), Is.EqualTo(TwoFactorSetting.Disallowed));

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.That(await engine.Settings.ReadDefaultAsync(tenant), Is.EqualTo(Both), "the default from its moment");
        var registered = await engine.Account(tenant, 5);
        Assert.That(registered.Account.Setting, Is.EqualTo(Both), "a new account takes the default as it stands then (S1)");
        Assert.That((await engine.Resolve(tenant, 1)).IsRequired, Is.False, "the default is not retroactive (S5)");

        time.Advance(TimeSpan.FromMinutes(5));
        var due = await engine.Resolve(tenant, 1);
        Assert.Multiple(async () =>
        {
            Assert.That(due.Factors, Is.EqualTo(FactorTypes.Totp), "equal moments keep acceptance order: the selected update came second");
            Assert.That((await engine.Resolve(tenant, 4)).Factors, Is.EqualTo(FactorTypes.Totp), "R2 with a scheduled change");
            Assert.That((await engine.Resolve(tenant, 3)).Factors, Is.EqualTo(FactorTypes.Email));
            Assert.That((await engine.Resolve(tenant, 5)).Factors, Is.EqualTo(FactorTypes.Email), "the enforcement covers accounts that exist at its moment");
            Assert.That((await engine.Resolve(tenant, 2)).Reason, Is.EqualTo(NotRequiredReason.DemoAccount));
            Assert.That(await engine.Settings.ReadDefaultAsync(tenant), Is.EqualTo(Email));
            Assert.That(await engine.Settings.ListScheduledAsync(tenant), Is.Empty);
        });

        // A write folds the due changes into the stored state; every answer stays as it was, version stamps included.
        time.Advance(TimeSpan.FromMinutes(15));
        await engine.Account(tenant, 6);
        Assert.That(await engine.Resolve(tenant, 1), Is.EqualTo(due));
        Assert.That((await engine.Resolve(tenant, 3)).Factors, Is.EqualTo(FactorTypes.Email), "the cancelled change never applied");
        Assert.That((await engine.Resolve(tenant, 6)).Factors, Is.EqualTo(FactorTypes.Email));
        Assert.That((await engine.Settings.CancelScheduledAsync(tenant, selected.Scheduled!.Id)).IsNotFound, Is.True, "an applied change cannot be cancelled");
    }

    [Test]
    [Description("S11 with S8: a scheduled update is checked when it is scheduled; S7: another tenant cannot list or cancel it")]
    public async Task S11_ScheduledUpdate_IsCheckedWhenScheduled_AndIsTheTenantsOwn()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        using var engine = new Engine(CreateProvider(time));
        var tenant = NewTenant();
        var other = NewTenant();
        await engine.Account(tenant, 1);
        await engine.SubUser(tenant, 4, 1);
        await engine.Account(other, 99);
        var later = time.GetUtcNow().AddDays(1);

        var rejected = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1, 99, 4), Email, effectiveFrom: later);
        var dryRun = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), Email, dryRun: true, effectiveFrom: later);
        var accepted = await engine.Settings.UpdateAsync(tenant, SettingsTarget.All, Email, effectiveFrom: later);
        var now = await engine.Settings.UpdateDefaultAsync(tenant, Totp, effectiveFrom: time.GetUtcNow());

        Assert.Multiple(async () =>
        {
            Assert.That(rejected.Errors, Is.EquivalentTo(new[] { new SettingsError(SettingsErrorCode.NotFound, 99), new SettingsError(SettingsErrorCode.NotAnAccount, 4) }));
            Assert.That(dryRun.Succeeded && dryRun.IsDryRun && dryRun.Scheduled is null, Is.True, dryRun.ToString());
            Assert.That(now.Scheduled, Is.Null, "a moment that has come applies at once");
            Assert.That(await engine.Settings.ReadDefaultAsync(tenant), Is.EqualTo(Totp));
            Assert.That(await engine.Settings.ListScheduledAsync(tenant), Is.EqualTo(new[] { accepted.Scheduled }));
            Assert.That(await engine.Settings.ListScheduledAsync(other), Is.Empty);
            Assert.That((await engine.Settings.CancelScheduledAsync(other, accepted.Scheduled!.Id)).IsNotFound, Is.True);
            Assert.That(accepted.Version, Is.EqualTo(accepted.Scheduled!.Id));
        });
    }
}
