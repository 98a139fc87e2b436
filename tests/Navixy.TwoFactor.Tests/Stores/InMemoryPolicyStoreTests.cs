using FsCheck;
using FsCheck.Fluent;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Tests.Policy;
using Navixy.TwoFactor.Tests.Settings;

namespace Navixy.TwoFactor.Tests.Stores;

/// <summary>
/// S10: update-all costs the same at any tenant size. Counted in store record writes
/// (<c>InMemoryPolicyStore.RecordWrites</c>), never timed.
/// </summary>
public class InMemoryPolicyStoreTests
{
    private static readonly TenantId Tenant = new(11);

    [TestCase(false, TestName = "S10_UpdateAll_WritesAsManyRecordsAt100000AccountsAsAt10")]
    [TestCase(true, TestName = "S10_EnforceForEveryone_WritesAsManyRecordsAt100000AccountsAsAt10")]
    public void S10_UpdateAll_CostIsIndependentOfTenantSize(bool enforce)
    {
        var small = Measure(10, enforce);
        var large = Measure(100_000, enforce);

        Assert.Multiple(() =>
        {
            Assert.That(large.Writes, Is.EqualTo(small.Writes), "record writes of one update-all");
            Assert.That(large.Writes, Is.EqualTo(1), "an update-all writes one tenant record, no account");
            Assert.That(small.Changed, Is.EqualTo(10 - 10 / 4), "non-demo accounts changed at 10");
            Assert.That(large.Changed, Is.EqualTo(100_000 - 100_000 / 4), "non-demo accounts changed at 100,000");
            Assert.That(small.DryRunChanged, Is.EqualTo(small.Changed), "dry-run count at 10");
            Assert.That(large.DryRunChanged, Is.EqualTo(large.Changed), "dry-run count at 100,000");
            Assert.That(large.DryRunWrites, Is.Zero, "a dry run writes nothing");
        });
    }

    [TestCase(false, TestName = "S10_S11_ScheduledUpdateAll_WritesAsManyRecordsAt100000AccountsAsAt10")]
    [TestCase(true, TestName = "S10_S11_ScheduledEnforceForEveryone_WritesAsManyRecordsAt100000AccountsAsAt10")]
    public void S10_S11_ScheduledUpdateAll_CostIsIndependentOfTenantSize(bool enforce)
    {
        var small = MeasureScheduled(10, enforce);
        var large = MeasureScheduled(100_000, enforce);

        Assert.Multiple(() =>
        {
            Assert.That(large, Is.EqualTo(small), "(writes to schedule, writes when it came due)");
            Assert.That(large, Is.EqualTo((1L, 1L)), "scheduling writes one tenant record, applying it one more, no account");
        });
    }

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property S10_UpdateAll_WritesOneRecord_UpdateSelected_OnePerDistinctId_WhateverThePopulation() =>
        Prop.ForAll(LawArbs.Histories, LawArbs.ValidUpdateSpec, (history, spec) =>
        {
            using var world = new World(history);
            var writes = world.Engine.Store.RecordWrites;
            var all = world.Engine.Update(world.Tenant, new UpdateAll(spec.Setting, false));
            var afterAll = world.Engine.Store.RecordWrites;

            var selected = world.ValidUpdate(1, spec.Setting, spec.Picks);
            var result = world.Engine.Update(world.Tenant, selected);
            var expectedSelectedWrites = selected is UpdateSelected s ? s.Ids.Distinct().Count() : 1;

            return (all.Succeeded && result.Succeeded
                && afterAll - writes == 1
                && world.Engine.Store.RecordWrites - afterAll == expectedSelectedWrites)
                .Label($"update-all wrote {afterAll - writes}, {selected} wrote {world.Engine.Store.RecordWrites - afterAll}");
        });

    private static (long Schedule, long Fold) MeasureScheduled(int accounts, bool enforce)
    {
        using var engine = new TestEngine();
        for (var id = 1; id <= accounts; id++)
        {
            TestEngine.Run(engine.Directory.RegisterAccountAsync(Tenant, id));
        }

        var setting = TwoFactorSetting.Allowed(FactorTypes.Email);
        var moment = engine.Time.GetUtcNow().AddHours(1);
        var writes = engine.Store.RecordWrites;
        var scheduled = enforce
            ? TestEngine.Run(engine.Settings.EnforceForEveryoneAsync(Tenant, setting, effectiveFrom: moment))
            : TestEngine.Run(engine.Settings.UpdateAsync(Tenant, SettingsTarget.All, setting, effectiveFrom: moment));
        var scheduleWrites = engine.Store.RecordWrites - writes;
        engine.Time.Advance(TimeSpan.FromHours(1));
        var folds = engine.Store.FoldWrites;

        // The next write folds the due change in; until then resolves apply it from the snapshot.
        Assert.That(engine.Resolve(Tenant, accounts).Factors, Is.EqualTo(FactorTypes.Email), "due but not folded");
        TestEngine.Run(engine.Settings.UpdateDefaultAsync(Tenant, setting));
        Assert.That(scheduled.Scheduled, Is.Not.Null);
        Assert.That(engine.Resolve(Tenant, accounts).Factors, Is.EqualTo(FactorTypes.Email), "folded");
        return (scheduleWrites, engine.Store.FoldWrites - folds);
    }

    private static (long Writes, long Changed, long DryRunChanged, long DryRunWrites) Measure(int accounts, bool enforce)
    {
        using var engine = new TestEngine();
        for (var id = 1; id <= accounts; id++)
        {
            // Every fourth account is a demo account: it is set too, but not counted as changed.
            var registered = TestEngine.Run(engine.Directory.RegisterAccountAsync(Tenant, id, AccountOrigin.Created, isDemo: id % 4 == 0));
            if (!registered.Succeeded)
            {
                throw new InvalidOperationException($"registering {id} failed: {registered.Error}");
            }
        }

        var setting = TwoFactorSetting.Allowed(FactorTypes.Email);
        var beforeDryRun = engine.Store.RecordWrites;
        var dryRun = enforce
            ? TestEngine.Run(engine.Settings.EnforceForEveryoneAsync(Tenant, setting, dryRun: true))
            : TestEngine.Run(engine.Settings.UpdateAsync(Tenant, SettingsTarget.All, setting, dryRun: true));
        var before = engine.Store.RecordWrites;
        var applied = enforce
            ? TestEngine.Run(engine.Settings.EnforceForEveryoneAsync(Tenant, setting))
            : TestEngine.Run(engine.Settings.UpdateAsync(Tenant, SettingsTarget.All, setting));
        var writes = engine.Store.RecordWrites - before;

        // The update really reached every account, the last one included.
        var last = engine.Resolve(Tenant, accounts - 1);
        if (!applied.Succeeded || last.Factors != FactorTypes.Email)
        {
            throw new InvalidOperationException($"update-all did not apply: {applied}, last account {last}");
        }

        return (writes, applied.ChangedAccounts, dryRun.ChangedAccounts, before - beforeDryRun);
    }
}
