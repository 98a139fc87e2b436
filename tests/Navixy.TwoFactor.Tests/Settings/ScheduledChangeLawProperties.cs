using FsCheck;
using FsCheck.Fluent;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Tests.Policy;
using static Navixy.TwoFactor.Tests.Settings.LawArbs;

namespace Navixy.TwoFactor.Tests.Settings;

/// <summary>
/// policy.md S11, scheduled changes, over random histories (which themselves schedule, cancel and move the clock): an
/// operation given a later moment changes no answer before it and, from it on, answers as if accepted at that moment.
/// </summary>
public class ScheduledChangeLawProperties
{
    private static Arbitrary<int> Minutes => Arb.From(Gen.Choose(1, 5));

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property S11_BeforeItsMoment_NoAnswerChanges_FromItOn_AsIfAcceptedAtThatMoment() =>
        Prop.ForAll(Histories, ValidUpdateSpec, Minutes, (history, spec, minutes) =>
        {
            using var scheduled = new World(history);
            using var immediate = new World(history);
            var tenant = scheduled.Tenant;
            var update = scheduled.ValidUpdate(spec.Kind, spec.Setting, spec.Picks);
            var before = scheduled.Engine.Answers(tenant);
            var readsBefore = scheduled.Engine.Reads(tenant);
            var defaultBefore = scheduled.Engine.ReadDefault(tenant);

            var result = scheduled.Apply(new Scheduled(update, minutes));
            var unchanged = scheduled.Engine.ObservedAnswers(tenant).SequenceEqual(before.Select(a => Observed.From(a)))
                && scheduled.Engine.Reads(tenant).SequenceEqual(readsBefore) && scheduled.Engine.ReadDefault(tenant) == defaultBefore;
            scheduled.Apply(new AdvanceTime(minutes - 1));
            immediate.Apply(new AdvanceTime(minutes - 1));
            var stillUnchanged = SameAnswers(scheduled, immediate, tenant, "a minute before the moment");

            // At the moment itself, and after: as if the operation had been accepted then.
            scheduled.Apply(new AdvanceTime(1));
            immediate.Apply(new AdvanceTime(1));
            immediate.Apply(update);

            return Check(
                Expect(result.Succeeded, $"{update} at +{minutes}m answered {result}")
                ?? Expect(unchanged, "scheduling changed an answer, a setting or the default")
                ?? stillUnchanged
                ?? SameAnswers(scheduled, immediate, tenant, "at the moment"));
        });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property S11_EqualMoments_ApplyInAcceptanceOrder_AndLaterMomentsWinOverEarlierAcceptedOnes() =>
        Prop.ForAll(Histories, ValidUpdateSpec, ValidUpdateSpec, (history, first, second) =>
        {
            using var scheduled = new World(history);
            using var reversed = new World(history);
            using var immediate = new World(history);
            using var immediateReversed = new World(history);
            var tenant = scheduled.Tenant;
            var a = scheduled.ValidUpdate(first.Kind, first.Setting, first.Picks);
            var b = scheduled.ValidUpdate(second.Kind, second.Setting, second.Picks);

            // Same moment: acceptance order. b accepted first but for a later moment: it still comes last (S4 by moment).
            scheduled.Apply(new Scheduled(a, 2));
            scheduled.Apply(new Scheduled(b, 2));
            reversed.Apply(new Scheduled(b, 3));
            reversed.Apply(new Scheduled(a, 2));
            scheduled.Apply(new AdvanceTime(3));
            reversed.Apply(new AdvanceTime(3));

            // The same operations accepted at once at those moments (the history's own pending changes interleave alike).
            immediate.Apply(new AdvanceTime(2));
            immediate.Apply(a);
            immediate.Apply(b);
            immediate.Apply(new AdvanceTime(1));
            immediateReversed.Apply(new AdvanceTime(2));
            immediateReversed.Apply(a);
            immediateReversed.Apply(new AdvanceTime(1));
            immediateReversed.Apply(b);

            return Check(
                SameAnswers(scheduled, immediate, tenant, "equal moments")
                ?? SameAnswers(reversed, immediateReversed, tenant, "later moment accepted first"));
        });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property S11_CancelledChange_NeverApplies_AndTheListingShowsOnlyWhatIsPending() =>
        Prop.ForAll(Histories, ValidUpdateSpec, Minutes, (history, spec, minutes) =>
        {
            using var world = new World(history);
            using var untouched = new World(history);
            var tenant = world.Tenant;
            var update = world.ValidUpdate(spec.Kind, spec.Setting, spec.Picks);
            var scheduled = world.Engine.Update(tenant, update, world.Engine.Time.GetUtcNow().AddMinutes(minutes));
            var listed = world.Engine.Scheduled(tenant);
            var cancel = TestEngine.Run(world.Engine.Settings.CancelScheduledAsync(tenant, scheduled.Scheduled!.Id));
            var again = TestEngine.Run(world.Engine.Settings.CancelScheduledAsync(tenant, scheduled.Scheduled.Id));
            var foreign = TestEngine.Run(world.Engine.Settings.CancelScheduledAsync(new TenantId(tenant.Value + 1), scheduled.Scheduled.Id));
            world.Apply(new AdvanceTime(minutes + 1));
            untouched.Apply(new AdvanceTime(minutes + 1));

            return Check(
                Expect(listed.Contains(scheduled.Scheduled), $"the listing [{string.Join("; ", listed)}] misses {scheduled.Scheduled}")
                ?? Expect(cancel.Succeeded && !world.Engine.Scheduled(tenant).Contains(scheduled.Scheduled), $"cancelling answered {cancel}")
                ?? Expect(!again.Succeeded && again.Errors.Single() == new SettingsError(SettingsErrorCode.NotFound, scheduled.Scheduled.Id), $"cancelling twice answered {again}")
                ?? Expect(!foreign.Succeeded && foreign.IsNotFound, "another tenant cancelled the change (S7)")
                ?? SameAnswers(world, untouched, tenant, "after the cancelled change's moment"));
        });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property S11_ScheduledEnforcement_CoversAccountsThatExistAtItsMoment_AndNewAccountsTakeTheDefaultAsItStandsThen() =>
        Prop.ForAll(Histories, ValidSetting, (history, setting) =>
        {
            using var world = new World(history);
            var tenant = world.Tenant;
            world.Apply(new Scheduled(new EnforceForEveryone(setting, false), 2));
            world.Apply(new AdvanceTime(1));
            var oldDefault = world.Engine.ReadDefault(tenant);
            var between = TestEngine.Run(world.Engine.Directory.RegisterAccountAsync(tenant, World.FreshId));
            world.Apply(new AdvanceTime(1));
            var after = TestEngine.Run(world.Engine.Directory.RegisterAccountAsync(tenant, World.OtherFreshId));

            return Check(
                Expect(between.Account.Setting == oldDefault, $"an account registered before the moment took {between.Account.Setting}, the default then was {oldDefault}")
                ?? Expect(world.Engine.Read(tenant, World.FreshId).Setting == setting, "the enforcement skipped an account registered before its moment")
                ?? Expect(after.Account.Setting == setting && world.Engine.ReadDefault(tenant) == setting, "an account registered after the moment did not take the new default"));
        });

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property S11_MomentAtOrBeforeNow_AppliesAtOnce_LikeNoMoment() =>
        Prop.ForAll(Histories, ValidUpdateSpec, Arb.From(Gen.Choose(-3, 0)), (history, spec, offset) =>
        {
            using var dated = new World(history);
            using var plain = new World(history);
            var update = dated.ValidUpdate(spec.Kind, spec.Setting, spec.Picks);
            var withMoment = dated.Engine.Update(dated.Tenant, update, dated.Engine.Time.GetUtcNow().AddMinutes(offset));
            var without = plain.Engine.Update(plain.Tenant, update);

            return Check(
                Expect(withMoment.Scheduled is null && OpOutcome.From(withMoment) == OpOutcome.From(without), $"with a moment {withMoment}, without {without}")
                ?? Expect(dated.Engine.Scheduled(dated.Tenant).SequenceEqual(plain.Engine.Scheduled(plain.Tenant)), "something was left pending")
                ?? SameAnswers(dated, plain, dated.Tenant, "applied at once"));
        });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property S11_S8_IsCheckedWhenScheduled_AnInvalidScheduledUpdateIsRejectedAndLeavesNothingPending() =>
        Prop.ForAll(Histories, Arb.From(OperationGen.UpdateSelected), Minutes, (history, operation, minutes) =>
        {
            using var world = new World(history);
            var tenant = world.Tenant;
            var update = (UpdateSelected)operation;
            var expected = world.Model.SelectedErrors(tenant, update);
            var pendingBefore = world.Engine.Scheduled(tenant);
            var result = world.Engine.Update(tenant, update, world.Engine.Time.GetUtcNow().AddMinutes(minutes));

            return Check(expected.Count == 0
                ? Expect(result.Succeeded && (update.DryRun ? result.Scheduled is null : result.Scheduled is not null), $"a valid scheduled update answered {result}")
                : Expect(!result.Succeeded && OpOutcome.ErrorsKey(result.Errors) == OpOutcome.ErrorsKey(expected), $"errors [{OpOutcome.ErrorsKey(result.Errors)}], expected [{OpOutcome.ErrorsKey(expected)}]")
                    ?? Expect(world.Engine.Scheduled(tenant).SequenceEqual(pendingBefore), "a rejected schedule was kept"))
                .Classify(expected.Count > 0, "invalid");
        });

    private static string? SameAnswers(World left, World right, TenantId tenant, string when)
    {
        var a = left.Engine.ObservedAnswers(tenant);
        var b = right.Engine.ObservedAnswers(tenant);
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return $"{when}: principal {PolicyGen.ObservedIds[i]} answers {a[i]}, expected {b[i]}";
            }
        }

        return left.Engine.Reads(tenant).SequenceEqual(right.Engine.Reads(tenant)) ? null : $"{when}: settings differ";
    }

    private static string? Expect(bool condition, string failure) => condition ? null : failure;
}
