using FsCheck;
using FsCheck.Fluent;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Tests.Policy;
using Navixy.TwoFactor.Tests.Settings;
using static Navixy.TwoFactor.Tests.Settings.LawArbs;
using static Navixy.TwoFactor.Tests.Settings.SettingsLawProperties;

namespace Navixy.TwoFactor.Tests.Resolution;

/// <summary>
/// One property per resolver law of policy.md §2 (R1–R5): first over snapshots a store could produce (the pure
/// function), then through the engine after random histories.
/// </summary>
public class TwoFactorResolverProperties
{
    private static Arbitrary<PrincipalPolicy> Snapshots => Arb.From(
        from account in PolicyGen.AccountRecord
        from tenant in PolicyGen.TenantPolicy
        from kind in Gen.Elements(PrincipalKind.Account, PrincipalKind.SubUser)
        from subUserId in Gen.Choose(1, int.MaxValue)
        select new PrincipalPolicy(kind == PrincipalKind.Account ? account.Id : subUserId, kind, account, tenant));

    /// <summary>Settings anything could have written, valid or not: a demo exemption must not care.</summary>
    private static Arbitrary<(AccountRecord Account, TenantPolicy Tenant, PrincipalKind Kind)> DemoSnapshots => Arb.From(
        from account in PolicyGen.AccountRecord
        from own in Gen.OneOf(PolicyGen.ValidSetting, PolicyGen.InvalidSetting)
        from all in Gen.OneOf(PolicyGen.ValidSetting, PolicyGen.InvalidSetting)
        from defaultSetting in PolicyGen.ValidSetting
        from allVersion in Gen.Choose(0, 40)
        from kind in Gen.Elements(PrincipalKind.Account, PrincipalKind.SubUser)
        select (account with { IsDemo = true, Setting = own }, new TenantPolicy(defaultSetting, all, allVersion), kind));

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property R1_DemoAccountAndItsSubUsers_AreNeverRequired_WhateverAnySettingSays() =>
        Prop.ForAll(DemoSnapshots, snapshot =>
        {
            var principalId = snapshot.Kind == PrincipalKind.Account ? snapshot.Account.Id : snapshot.Account.Id + 1;
            var answer = TwoFactorResolver.Resolve(new PrincipalPolicy(principalId, snapshot.Kind, snapshot.Account, snapshot.Tenant));
            return answer.Outcome == RequirementOutcome.NotRequired
                && answer.Reason == NotRequiredReason.DemoAccount
                && answer.Factors == FactorTypes.None
                && answer.Explanation == new Explanation(PolicyRule.DemoExemption, snapshot.Kind, snapshot.Account.Id, SettingSource.None, 0)
                && answer.PrincipalId == principalId;
        });

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property R2_NonDemoSubUser_AnswersExactlyLikeItsAccount_AndItsExplanationNamesTheAccount() =>
        Prop.ForAll(Snapshots, Arb.From(Gen.Choose(1, int.MaxValue)), (snapshot, subUserId) =>
        {
            var account = snapshot.Account with { IsDemo = false };
            var ofAccount = TwoFactorResolver.Resolve(new PrincipalPolicy(account.Id, PrincipalKind.Account, account, snapshot.Tenant));
            var ofSubUser = TwoFactorResolver.Resolve(new PrincipalPolicy(subUserId, PrincipalKind.SubUser, account, snapshot.Tenant));
            return (ofSubUser.Outcome == ofAccount.Outcome
                && ofSubUser.Factors == ofAccount.Factors
                && ofSubUser.Reason == ofAccount.Reason
                && ofSubUser.PrincipalId == subUserId
                && ofSubUser.Explanation == ofAccount.Explanation with { Rule = PolicyRule.SubUserFollowsAccount, PrincipalKind = PrincipalKind.SubUser }
                && ofSubUser.Explanation.ToString().Contains($"account {account.Id}", StringComparison.Ordinal))
                .Label($"account {ofAccount}, sub-user {ofSubUser}");
        });

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property R3_AccountSettingDecides_AllowedIsRequiredWithItsFactors_DisallowedIsNotRequired() =>
        Prop.ForAll(Snapshots, snapshot =>
        {
            var account = snapshot.Account with { IsDemo = false };
            var tenant = snapshot.Tenant;
            var answer = TwoFactorResolver.Resolve(new PrincipalPolicy(account.Id, PrincipalKind.Account, account, tenant));

            // The later stamp wins (S4): the account's own setting, or the last update of all accounts.
            var ownWins = account.Version > tenant.AllAccountsVersion;
            var setting = ownWins ? account.Setting : tenant.AllAccountsSetting;
            var expectedExplanation = new Explanation(
                PolicyRule.AccountSetting,
                PrincipalKind.Account,
                account.Id,
                ownWins ? account.Source : SettingSource.AllAccountsUpdate,
                ownWins ? account.Version : tenant.AllAccountsVersion);
            var outcomeRight = setting.IsAllowed
                ? answer.Outcome == RequirementOutcome.Required && answer.Factors == setting.Factors && answer.Reason == NotRequiredReason.None
                : answer.Outcome == RequirementOutcome.NotRequired && answer.Factors == FactorTypes.None && answer.Reason == NotRequiredReason.SettingDisallowed;
            return (outcomeRight && answer.Explanation == expectedExplanation).Label($"setting {setting}: {answer}, {answer.Explanation}");
        });

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property R4_UnregisteredPrincipal_IsUnknown_NeverNotRequired() =>
        Prop.ForAll(Arb.From(Gen.OneOf(PolicyGen.HostileId, Gen.Choose(int.MinValue, int.MaxValue).Select(i => (long)i))), Arb.From(PolicyGen.TenantPolicy), (id, tenant) =>
        {
            var answer = TwoFactorResolver.Resolve(PrincipalPolicy.Unknown(id, tenant));
            var fromDefault = TwoFactorResolver.Resolve(default);
            return answer.Outcome == RequirementOutcome.UnknownPrincipal
                && !answer.IsRequired
                && answer.Reason == NotRequiredReason.None
                && answer.PrincipalId == id
                && answer.Explanation.Rule == PolicyRule.UnknownPrincipal
                && fromDefault.Outcome == RequirementOutcome.UnknownPrincipal;
        });

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property R5_SameSnapshot_SameAnswer() =>
        Prop.ForAll(Snapshots, snapshot =>
        {
            var copy = new PrincipalPolicy(snapshot.PrincipalId, snapshot.Kind, snapshot.Account, snapshot.Tenant with { });
            var first = TwoFactorResolver.Resolve(snapshot);
            return first == TwoFactorResolver.Resolve(snapshot) && first == TwoFactorResolver.Resolve(copy);
        });

    // The same laws observed through the engine's public services after random histories.
    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property R1_Engine_DemoAccountsAndTheirSubUsers_AreNeverRequired_AfterAnyHistory() =>
        Prop.ForAll(Histories, history =>
        {
            using var world = new World(history);
            string? failure = null;
            foreach (var id in world.Accounts.Where(world.IsDemo))
            {
                var answer = world.Engine.Resolve(world.Tenant, id);
                failure ??= Expect(answer.Reason == NotRequiredReason.DemoAccount && answer.Explanation.AccountId == id, $"demo account {id} answered {answer}");
            }

            foreach (var id in world.SubUsers.Where(s => world.IsDemo(world.AccountOf(s))))
            {
                var answer = world.Engine.Resolve(world.Tenant, id);
                failure ??= Expect(answer.Reason == NotRequiredReason.DemoAccount && answer.Explanation.AccountId == world.AccountOf(id) && answer.Explanation.PrincipalKind == PrincipalKind.SubUser, $"sub-user {id} of a demo account answered {answer}");
            }

            return Check(failure).Classify(!world.Accounts.Any(world.IsDemo), "no demo account");
        });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property R2_Engine_NonDemoSubUsers_FollowTheirAccount_AfterAnyHistory() =>
        Prop.ForAll(Histories, history =>
        {
            using var world = new World(history);
            string? failure = null;
            foreach (var id in world.SubUsers.Where(s => !world.IsDemo(world.AccountOf(s))))
            {
                var account = world.AccountOf(id);
                var ofAccount = world.Engine.Resolve(world.Tenant, account);
                var ofSubUser = world.Engine.Resolve(world.Tenant, id);
                failure ??= Expect(
                    ofSubUser.Outcome == ofAccount.Outcome && ofSubUser.Factors == ofAccount.Factors && ofSubUser.Reason == ofAccount.Reason
                    && ofSubUser.Explanation == ofAccount.Explanation with { Rule = PolicyRule.SubUserFollowsAccount, PrincipalKind = PrincipalKind.SubUser },
                    $"sub-user {id} answered {ofSubUser} ({ofSubUser.Explanation}); account {account} answered {ofAccount} ({ofAccount.Explanation})");
            }

            return Check(failure).Classify(world.SubUsers.Count == 0, "no sub-users");
        });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property R3_Engine_EveryNonDemoAccount_AnswersByItsLastWrittenSetting() =>
        Prop.ForAll(Histories, history =>
        {
            using var world = new World(history);
            string? failure = null;
            foreach (var id in world.Accounts.Where(a => !world.IsDemo(a)))
            {
                var expected = world.Model.Tenant(world.Tenant).Accounts[id].Setting;
                failure ??= ExpectAnswer(world.Engine.Resolve(world.Tenant, id), isDemo: false, expected)
                    ?? Expect(world.Engine.Read(world.Tenant, id).Setting == expected, $"account {id} reads {world.Engine.Read(world.Tenant, id)}, expected {expected}");
            }

            return Check(failure);
        });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property R4_Engine_RegisteredPrincipalsResolve_EveryOtherIdIsUnknown() =>
        Prop.ForAll(Histories, history =>
        {
            using var world = new World(history);
            string? failure = null;
            foreach (var id in PolicyGen.ObservedIds)
            {
                var answer = world.Engine.Resolve(world.Tenant, id);
                var registered = world.Model.IsRegistered(world.Tenant, id);
                failure ??= Expect(registered == (answer.Outcome != RequirementOutcome.UnknownPrincipal), $"{(registered ? "registered" : "unregistered")} id {id} answered {answer}");
            }

            // Another tenant knows none of them.
            var stranger = new TenantId(World.DefaultTenant.Value + 1);
            foreach (var id in PolicyGen.ObservedIds)
            {
                failure ??= Expect(world.Engine.Resolve(stranger, id).Outcome == RequirementOutcome.UnknownPrincipal, $"id {id} is known in a tenant that registered nothing");
            }

            return Check(failure);
        });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property R5_Engine_ResolvingTwiceWithoutAnUpdate_GivesTheSameAnswer() =>
        Prop.ForAll(Histories, history =>
        {
            using var world = new World(history);
            return world.Engine.Answers(world.Tenant).SequenceEqual(world.Engine.Answers(world.Tenant));
        });
}
