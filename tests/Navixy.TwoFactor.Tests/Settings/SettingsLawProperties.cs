using FsCheck;
using FsCheck.Fluent;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Tests.Policy;
using static Navixy.TwoFactor.Tests.Settings.LawArbs;

namespace Navixy.TwoFactor.Tests.Settings;

/// <summary>One property per settings law of policy.md §3 (S1–S9; S10 is in the store tests), over random histories.</summary>
public class SettingsLawProperties
{
    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property S1_NewAccount_TakesTheTenantDefaultAsItStandsAtThatMoment() =>
        Prop.ForAll(Histories, ValidSetting, Arb.From(Gen.Zip(PolicyGen.Origin, PolicyGen.Demo)), (history, setting, kind) =>
        {
            using var world = new World(history);
            var tenant = world.Tenant;
            var defaultBefore = world.Model.Default(tenant);

            var first = TestEngine.Run(world.Engine.Directory.RegisterAccountAsync(tenant, World.FreshId, kind.Item1, kind.Item2));
            world.Apply(new UpdateDefault(setting, false));
            var second = TestEngine.Run(world.Engine.Directory.RegisterAccountAsync(tenant, World.OtherFreshId, kind.Item1, kind.Item2));

            return Check(
                Expect(first.Succeeded && second.Succeeded, "registration failed")
                ?? Expect(first.Account.Setting == defaultBefore && first.Account.Source == SettingSource.TenantDefault, $"first account took {first.Account.Setting}, default was {defaultBefore}")
                ?? Expect(second.Account.Setting == setting, $"second account took {second.Account.Setting}, default was {setting}")
                ?? Expect(world.Engine.Read(tenant, World.FreshId).Setting == defaultBefore, "first account changed when the default changed")
                ?? Expect(world.Engine.Read(tenant, World.OtherFreshId) == AccountSettingResult.Of(setting, SettingSource.TenantDefault, kind.Item2), "second account reads another setting")
                ?? ExpectAnswer(world.Engine.Resolve(tenant, World.OtherFreshId), kind.Item2, setting));
        });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property S2_UpdateAll_SetsEveryAccountThatExistsAtThatMoment_DemoIncluded() =>
        Prop.ForAll(Histories, ValidSetting, (history, setting) =>
        {
            using var world = new World(history);
            var tenant = world.Tenant;
            var result = world.Engine.Update(tenant, new UpdateAll(setting, false));
            string? failure = Expect(result.Succeeded, "update-all was rejected");

            foreach (var id in world.Accounts)
            {
                var demo = world.IsDemo(id);
                failure ??= Expect(world.Engine.Read(tenant, id) == AccountSettingResult.Of(setting, SettingSource.AllAccountsUpdate, demo), $"account {id} reads {world.Engine.Read(tenant, id)}")
                    ?? ExpectAnswer(world.Engine.Resolve(tenant, id), demo, setting);
            }

            foreach (var id in world.SubUsers)
            {
                failure ??= ExpectAnswer(world.Engine.Resolve(tenant, id), world.IsDemo(world.AccountOf(id)), setting);
            }

            // Accounts registered later take the default, not the update-all setting.
            var defaultSetting = world.Engine.ReadDefault(tenant);
            var later = TestEngine.Run(world.Engine.Directory.RegisterAccountAsync(tenant, World.FreshId));
            failure ??= Expect(later.Account.Setting == defaultSetting && world.Engine.Read(tenant, World.FreshId).Setting == defaultSetting, "a later account did not take the default");
            return Check(failure).Classify(world.Accounts.Count == 0, "no accounts");
        });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property S3_UpdateSelected_SetsExactlyTheListedAccounts() =>
        Prop.ForAll(Histories, ValidSetting, Picks, (history, setting, picks) =>
        {
            using var world = new World(history);
            var tenant = world.Tenant;
            if (world.Accounts.Count == 0)
            {
                return true.ToProperty().Classify(true, "no accounts");
            }

            var selected = picks.Select(p => world.Accounts[p % world.Accounts.Count]).ToHashSet();
            var before = world.Engine.Answers(tenant);
            var result = world.Engine.Update(tenant, new UpdateSelected([.. selected], setting, false));
            string? failure = Expect(result.Succeeded, "update of existing accounts was rejected");

            for (var i = 0; i < PolicyGen.ObservedIds.Length; i++)
            {
                var id = PolicyGen.ObservedIds[i];
                var answer = world.Engine.Resolve(tenant, id);
                if (selected.Contains(id))
                {
                    failure ??= Expect(world.Engine.Read(tenant, id) == AccountSettingResult.Of(setting, SettingSource.SelectedUpdate, world.IsDemo(id)), $"listed account {id} reads {world.Engine.Read(tenant, id)}")
                        ?? ExpectAnswer(answer, world.IsDemo(id), setting);
                }
                else if (world.SubUsers.Contains(id) && selected.Contains(world.AccountOf(id)))
                {
                    failure ??= ExpectAnswer(answer, world.IsDemo(world.AccountOf(id)), setting);
                }
                else
                {
                    failure ??= Expect(answer == before[i], $"principal {id} not listed changed from {before[i]} to {answer}");
                }
            }

            return Check(failure);
        });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property S4_LastAcceptedWritePerAccountWins_UpdateAllAndSelectedInAnyOrder() =>
        Prop.ForAll(
            Arb.From(OperationGen.Population.Select(p => new History(p))),
            Arb.From(Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(
                from all in Gen.Elements(true, false)
                from setting in PolicyGen.ValidSetting
                from picks in Picks.Generator
                select (all, setting, picks), n))),
            (population, writes) =>
            {
                using var world = new World(population);
                var tenant = world.Tenant;
                var defaultSetting = world.Model.Default(tenant);
                var expected = world.Accounts.ToDictionary(id => id, _ => (Setting: defaultSetting, Source: SettingSource.TenantDefault));

                foreach (var (all, setting, picks) in writes)
                {
                    var operation = world.ValidUpdate(all ? 0 : 1, setting, picks);
                    if (!world.Engine.Update(tenant, operation).Succeeded)
                    {
                        return false.Label($"{operation} was rejected");
                    }

                    var written = operation is UpdateSelected s ? s.Ids : [.. world.Accounts];
                    var source = operation is UpdateSelected ? SettingSource.SelectedUpdate : SettingSource.AllAccountsUpdate;
                    foreach (var id in written)
                    {
                        expected[id] = (setting, source);
                    }
                }

                string? failure = null;
                foreach (var (id, last) in expected)
                {
                    var read = world.Engine.Read(tenant, id);
                    failure ??= Expect(read.Setting == last.Setting && read.Source == last.Source, $"account {id} reads {read.Setting} from {read.Source}; the last write was {last.Setting} from {last.Source}")
                        ?? ExpectAnswer(world.Engine.Resolve(tenant, id), world.IsDemo(id), last.Setting);
                }

                return Check(failure);
            });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property S5_DefaultChange_ChangesNoExistingPrincipal() =>
        Prop.ForAll(Histories, ValidSetting, (history, setting) =>
        {
            using var world = new World(history);
            var tenant = world.Tenant;
            var answers = world.Engine.Answers(tenant);
            var reads = world.Engine.Reads(tenant);

            var result = world.Engine.Update(tenant, new UpdateDefault(setting, false));

            return Check(
                Expect(result.Succeeded && result.ChangedAccounts == 0, $"default update answered {result}")
                ?? Expect(world.Engine.Answers(tenant).SequenceEqual(answers), "an existing principal's answer changed")
                ?? Expect(world.Engine.Reads(tenant).SequenceEqual(reads), "an existing account's setting changed")
                ?? Expect(world.Engine.ReadDefault(tenant) == setting, "the default was not set"));
        });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property S6_EnforceForEveryone_IsUpdateAllPlusUpdateDefault_InOneStep() =>
        Prop.ForAll(Histories, ValidSetting, (history, setting) =>
        {
            using var enforced = new World(history);
            using var separate = new World(history);
            var tenant = enforced.Tenant;

            var result = enforced.Engine.Update(tenant, new EnforceForEveryone(setting, false));
            var all = separate.Engine.Update(tenant, new UpdateAll(setting, false));
            separate.Engine.Update(tenant, new UpdateDefault(setting, false));

            string? failure = Expect(result.Succeeded && result.ChangedAccounts == all.ChangedAccounts, $"enforce answered {result}, update-all {all}")
                ?? Expect(enforced.Engine.ObservedAnswers(tenant).SequenceEqual(separate.Engine.ObservedAnswers(tenant)), "answers differ from update-all plus update-default")
                ?? Expect(enforced.Engine.Reads(tenant).SequenceEqual(separate.Engine.Reads(tenant)), "settings differ from update-all plus update-default")
                ?? Expect(enforced.Engine.ReadDefault(tenant) == setting, "the default was not set");

            // One step: every non-demo account's setting carries the one version the enforce was applied with.
            foreach (var id in enforced.Accounts.Where(id => !enforced.IsDemo(id)))
            {
                var version = enforced.Engine.Resolve(tenant, id).Explanation.SettingVersion;
                failure ??= Expect(version == result.Version, $"account {id} has setting version {version}, enforce was {result.Version}");
            }

            // New accounts: everyone, current and new.
            TestEngine.Run(enforced.Engine.Directory.RegisterAccountAsync(tenant, World.FreshId));
            TestEngine.Run(separate.Engine.Directory.RegisterAccountAsync(tenant, World.FreshId));
            failure ??= Expect(Observed.From(enforced.Engine.Resolve(tenant, World.FreshId)) == Observed.From(separate.Engine.Resolve(tenant, World.FreshId)), "a new account differs")
                ?? ExpectAnswer(enforced.Engine.Resolve(tenant, World.FreshId), isDemo: false, setting);
            return Check(failure);
        });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property S7_OperationsInOneTenant_NeverChangeOrRevealAnother() =>
        Prop.ForAll(OperationGen.TwoTenantHistoryArb(maxSteps: 40), history =>
        {
            using var both = TestEngine.ForModel();
            using var onlyA = TestEngine.ForModel();
            using var onlyB = TestEngine.ForModel();
            TenantId[] tenants = [history.A, history.B];

            foreach (var step in history.Steps)
            {
                var tenant = tenants[step.Tenant];
                var alone = step.Tenant == 0 ? onlyA : onlyB;
                var shared = both.Apply(tenant, step.Operation);
                var separate = alone.Apply(tenant, step.Operation);
                if (step.Operation is AdvanceTime)
                {
                    // Time is one for every tenant: the other engine's clock moves too.
                    (step.Tenant == 0 ? onlyB : onlyA).Apply(tenants[1 - step.Tenant], step.Operation);
                }
                if (shared != separate)
                {
                    return false.Label($"{step} answered {shared} beside the other tenant, {separate} alone");
                }
            }

            return Check(
                SameState(both, onlyA, history.A, "A")
                ?? SameState(both, onlyB, history.B, "B"));
        });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property S7_ForeignId_IsNotFound_ExactlyLikeAMissingId() =>
        Prop.ForAll(Histories, Histories, ValidSetting, (historyA, historyB, setting) =>
        {
            var a = new TenantId(1);
            var b = new TenantId(2);
            using var world = new World(historyA, a);
            foreach (var operation in historyB.Operations)
            {
                world.Apply(b, operation);
            }

            var foreign = world.Model.Accounts(b).Concat(world.Model.SubUsers(b)).Where(id => !world.Model.IsRegistered(a, id)).ToList();
            var answersB = world.Engine.Answers(b);
            var readsB = world.Engine.Reads(b);
            var answersA = world.Engine.Answers(a);
            const long missing = World.FreshId;

            string? failure = null;
            foreach (var id in foreign)
            {
                var asForeign = world.Engine.Resolve(a, id);
                var asMissing = world.Engine.Resolve(a, missing);
                failure ??= Expect(Observed.From(asForeign) == Observed.From(asMissing) && asForeign.Explanation == asMissing.Explanation && asForeign.Outcome == RequirementOutcome.UnknownPrincipal, $"resolving foreign {id} answered {asForeign}")
                    ?? Expect(world.Engine.Read(a, id) == world.Engine.Read(a, missing) && !world.Engine.Read(a, id).Found, $"reading foreign {id} found something")
                    ?? SameRejection(world.Engine.Update(a, new UpdateSelected([id], setting, false)), world.Engine.Update(a, new UpdateSelected([missing], setting, false)), id, missing)
                    ?? SameRejection(world.Engine.Update(a, new UpdateSelected([id], setting, true)), world.Engine.Update(a, new UpdateSelected([missing], setting, true)), id, missing)
                    ?? Expect(world.Engine.Apply(a, new RemovePrincipal(id)) == world.Engine.Apply(a, new RemovePrincipal(missing)), $"removing foreign {id} differs from removing a missing id")
                    ?? Expect(world.Engine.Apply(a, new RegisterSubUser(World.OtherFreshId, id)) == world.Engine.Apply(a, new RegisterSubUser(World.OtherFreshId, missing)), $"a sub-user of foreign {id} differs from one of a missing id");
            }

            return Check(
                failure
                ?? Expect(world.Engine.Answers(b).SequenceEqual(answersB), "tenant B's answers changed")
                ?? Expect(world.Engine.Reads(b).SequenceEqual(readsB), "tenant B's settings changed")
                ?? Expect(world.Engine.Answers(a).SequenceEqual(answersA), "tenant A changed by rejected operations"))
                .Classify(foreign.Count == 0, "no foreign ids");
        });

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property S8_InvalidUpdate_ChangesNothing_AndNamesEveryOffendingIdWithItsCode() =>
        Prop.ForAll(Histories, Histories, InvalidUpdateArb, (historyA, historyB, spec) =>
        {
            var a = new TenantId(1);
            var b = new TenantId(2);
            using var world = new World(historyA, a);
            foreach (var operation in historyB.Operations)
            {
                world.Apply(b, operation);
            }

            var (operation2, expectedErrors) = spec.Materialize(world, b);
            var answersA = world.Engine.Answers(a);
            var readsA = world.Engine.Reads(a);
            var answersB = world.Engine.Answers(b);
            var defaultA = world.Engine.ReadDefault(a);
            var writes = world.Engine.Store.RecordWrites;

            var result = world.Engine.Update(a, operation2);

            return Check(
                Expect(!result.Succeeded && result.ChangedAccounts == 0 && result.Version == 0, $"{operation2} was not rejected: {result}")
                ?? Expect(result.IsDryRun == spec.DryRun, "the dry-run flag was not echoed")
                ?? Expect(OpOutcome.ErrorsKey(result.Errors) == OpOutcome.ErrorsKey(expectedErrors), $"{operation2}: errors [{OpOutcome.ErrorsKey(result.Errors)}], expected [{OpOutcome.ErrorsKey(expectedErrors)}]")
                ?? Expect(world.Engine.Store.RecordWrites == writes, "the store was written")
                ?? Expect(world.Engine.Answers(a).SequenceEqual(answersA), "an answer in the tenant changed")
                ?? Expect(world.Engine.Reads(a).SequenceEqual(readsA), "a setting in the tenant changed")
                ?? Expect(world.Engine.ReadDefault(a) == defaultA, "the default changed")
                ?? Expect(world.Engine.Answers(b).SequenceEqual(answersB), "the other tenant changed"))
                .Classify(operation2 is UpdateSelected, "selected")
                .Classify(expectedErrors.Count > 1, "several errors");
        });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property S9_SameUpdateTwice_LeavesTheSameAnswersAsOnce() =>
        Prop.ForAll(Histories, ValidUpdateSpec, (history, spec) =>
        {
            using var once = new World(history);
            using var twice = new World(history);
            var tenant = once.Tenant;
            var update = once.ValidUpdate(spec.Kind, spec.Setting, spec.Picks);

            var first = once.Engine.Update(tenant, update);
            twice.Engine.Update(tenant, update);
            var second = twice.Engine.Update(tenant, update);

            return Check(
                Expect(first.Succeeded && second.Succeeded, $"{update} was rejected")
                ?? Expect(second.ChangedAccounts == 0, $"repeating {update} changed {second.ChangedAccounts} accounts")
                ?? Expect(once.Engine.ObservedAnswers(tenant).SequenceEqual(twice.Engine.ObservedAnswers(tenant)), $"answers after {update} twice differ from once")
                ?? Expect(once.Engine.Reads(tenant).SequenceEqual(twice.Engine.Reads(tenant)), $"settings after {update} twice differ from once")
                ?? Expect(once.Engine.ReadDefault(tenant) == twice.Engine.ReadDefault(tenant), "defaults differ"));
        });

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property ChangedAccounts_CountsNonDemoAccountsWhoseAnswerChanged_AndTheDryRunPredictsIt() =>
        Prop.ForAll(Histories, ValidUpdateSpec, (history, spec) =>
        {
            using var world = new World(history);
            var tenant = world.Tenant;
            var update = world.ValidUpdate(spec.Kind, spec.Setting, spec.Picks);
            var dryUpdate = world.ValidUpdate(spec.Kind, spec.Setting, spec.Picks, dryRun: true);
            var before = world.Engine.Answers(tenant);
            var readsBefore = world.Engine.Reads(tenant);
            var writes = world.Engine.Store.RecordWrites;

            var dry = world.Engine.Update(tenant, dryUpdate);
            var unchanged = world.Engine.Answers(tenant).SequenceEqual(before) && world.Engine.Reads(tenant).SequenceEqual(readsBefore) && world.Engine.Store.RecordWrites == writes;
            var applied = world.Engine.Update(tenant, update);

            // Every account id the generators use is among the observed ids, so "before" has its answer.
            var changed = world.Model.NonDemoAccounts(tenant).Count(id =>
            {
                var then = before[Array.IndexOf(PolicyGen.ObservedIds, id)];
                var now = world.Engine.Resolve(tenant, id);
                return then.Outcome != now.Outcome || then.Factors != now.Factors;
            });
            var settingChanges = world.Model.NonDemoAccounts(tenant).Count(id =>
                readsBefore[Array.IndexOf(PolicyGen.ObservedIds, id)].Setting != world.Engine.Read(tenant, id).Setting);

            return Check(
                Expect(dry.Succeeded && dry.IsDryRun && dry.Version == 0, $"dry run answered {dry}")
                ?? Expect(unchanged, "the dry run changed something")
                ?? Expect(applied.Succeeded && !applied.IsDryRun, $"{update} answered {applied}")
                ?? Expect(changed == settingChanges, $"{changed} answers but {settingChanges} settings changed")
                ?? Expect(applied.ChangedAccounts == changed, $"{update} reported {applied.ChangedAccounts} changed accounts; {changed} answers changed")
                ?? Expect(dry.ChangedAccounts == applied.ChangedAccounts, $"the dry run predicted {dry.ChangedAccounts}, the update changed {applied.ChangedAccounts}"))
                .Classify(changed > 0, "something changed");
        });

    /// <summary>An invalid update: a target kind, a setting, valid picks and offending ids of each kind.</summary>
    public sealed record InvalidUpdate(int Kind, TwoFactorSetting Setting, int[] ValidPicks, (int Kind, int Pick)[] Offenders, bool DryRun)
    {
        public override string ToString() =>
            $"InvalidUpdate(kind {Kind}, {Setting}, picks [{string.Join(",", ValidPicks)}], offenders [{string.Join(",", Offenders.Select(o => $"{o.Kind}:{o.Pick}"))}]{(DryRun ? ", dry run" : "")})";

        /// <summary>Builds the operation against the world and every error it must answer.</summary>
        internal (Operation Operation, List<SettingsError> Errors) Materialize(World world, TenantId other)
        {
            var errors = ReferenceModel.SettingErrors(Setting).ToList();
            if (Kind != 1)
            {
                Operation whole = Kind switch
                {
                    0 => new UpdateAll(Setting, DryRun),
                    2 => new UpdateDefault(Setting, DryRun),
                    _ => new EnforceForEveryone(Setting, DryRun),
                };
                return (whole, errors);
            }

            var tenant = world.Tenant;
            var accounts = world.Accounts;
            var subUsers = world.SubUsers;
            var foreign = world.Model.Accounts(other).Concat(world.Model.SubUsers(other)).Where(id => !world.Model.IsRegistered(tenant, id)).ToList();
            var ids = new List<long>();
            if (accounts.Count > 0)
            {
                ids.AddRange(ValidPicks.Select(p => accounts[p % accounts.Count]));
            }

            foreach (var (kind, pick) in Offenders)
            {
                (long id, SettingsErrorCode code) offender = kind switch
                {
                    0 when subUsers.Count > 0 => (subUsers[pick % subUsers.Count], SettingsErrorCode.NotAnAccount),
                    1 when foreign.Count > 0 => (foreign[pick % foreign.Count], SettingsErrorCode.NotFound),
                    2 => (-(long)(pick % 3), SettingsErrorCode.NonPositiveId),
                    3 => (long.MinValue, SettingsErrorCode.NonPositiveId),
                    4 when !world.Model.IsRegistered(tenant, long.MaxValue) => (long.MaxValue, SettingsErrorCode.NotFound),
                    _ => (PolicyGen.MaxPrincipalId + 1 + (pick % 2), SettingsErrorCode.NotFound),
                };
                ids.Insert(pick % (ids.Count + 1), offender.id);
                if (!errors.Contains(new SettingsError(offender.code, offender.id)))
                {
                    errors.Add(new SettingsError(offender.code, offender.id));
                }
            }

            if (ids.Count == 0)
            {
                errors.Add(new SettingsError(SettingsErrorCode.EmptyTarget));
            }
            else if (ids.Count > OperationGen.MaxIdsPerUpdate)
            {
                errors = [.. ReferenceModel.SettingErrors(Setting), new SettingsError(SettingsErrorCode.TooManyIds)];
            }

            return (new UpdateSelected([.. ids], Setting, DryRun), errors);
        }
    }

    private static Arbitrary<InvalidUpdate> InvalidUpdateArb => Arb.From(
        from kind in Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Constant(1)), (1, Gen.Constant(2)), (1, Gen.Constant(3)))
        from invalidSetting in kind == 1 ? Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true))) : Gen.Constant(true)
        from setting in invalidSetting ? PolicyGen.InvalidSetting : PolicyGen.ValidSetting
        from validPicks in Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 1000), n))
        from offenders in Gen.Choose(invalidSetting ? 0 : 1, 4).SelectMany(n => Gen.ArrayOf(Gen.Zip(Gen.Choose(0, 5), Gen.Choose(0, 1000)), n))
        from dryRun in PolicyGen.DryRun
        select new InvalidUpdate(kind, setting, validPicks, offenders, dryRun));

    private static string? SameRejection(SettingsUpdateResult foreign, SettingsUpdateResult missing, long foreignId, long missingId) =>
        Expect(
            !foreign.Succeeded && !missing.Succeeded
            && foreign.Errors.Count == 1 && missing.Errors.Count == 1
            && foreign.Errors[0] == new SettingsError(SettingsErrorCode.NotFound, foreignId)
            && missing.Errors[0] == new SettingsError(SettingsErrorCode.NotFound, missingId)
            && foreign.IsNotFound == missing.IsNotFound && foreign.IsDryRun == missing.IsDryRun,
            $"updating foreign {foreignId} answered {foreign}; a missing id answers {missing}");

    private static string? SameState(TestEngine shared, TestEngine alone, TenantId tenant, string name) =>
        Expect(shared.Answers(tenant).SequenceEqual(alone.Answers(tenant)), $"tenant {name}'s answers depend on the other tenant")
        ?? Expect(shared.Reads(tenant).SequenceEqual(alone.Reads(tenant)), $"tenant {name}'s settings depend on the other tenant")
        ?? Expect(shared.ReadDefault(tenant) == alone.ReadDefault(tenant), $"tenant {name}'s default depends on the other tenant");

    internal static string? Expect(bool condition, string failure) => condition ? null : failure;

    /// <summary>The answer a principal deciding by <paramref name="setting"/> must get (R1, R3).</summary>
    internal static string? ExpectAnswer(in Requirement answer, bool isDemo, TwoFactorSetting setting)
    {
        if (isDemo)
        {
            return Expect(answer.Outcome == RequirementOutcome.NotRequired && answer.Reason == NotRequiredReason.DemoAccount, $"demo principal {answer.PrincipalId} answered {answer}");
        }

        return setting.IsAllowed
            ? Expect(answer.Outcome == RequirementOutcome.Required && answer.Factors == setting.Factors, $"principal {answer.PrincipalId} answered {answer}, expected required with {setting.Factors}")
            : Expect(answer.Outcome == RequirementOutcome.NotRequired && answer.Reason == NotRequiredReason.SettingDisallowed, $"principal {answer.PrincipalId} answered {answer}, expected not required (disallowed)");
    }
}
