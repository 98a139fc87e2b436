using System.Text.Json.Serialization;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Sample.Pages;

/// <summary>The answer of <c>panel/user/mfa/list</c>.</summary>
/// <param name="List">The dealer's users, accounts each followed by their sub-users.</param>
internal sealed record UserListResponse(IReadOnlyList<UserListItem> List) : NavixySuccess;

/// <summary>One user of the dealer as the Users page shows it.</summary>
/// <param name="Id">The user id (unique within the dealer).</param>
/// <param name="Login">The login.</param>
/// <param name="Name">The display name.</param>
/// <param name="Kind"><c>account</c> or <c>sub_user</c>.</param>
/// <param name="AccountId">The account itself, or a sub-user's account.</param>
/// <param name="Origin"><c>created</c> or <c>imported</c> (a sub-user: its account's).</param>
/// <param name="Demo">Whether it is (a sub-user of) a demo account.</param>
/// <param name="Settings">An account's own MFA settings; omitted for a sub-user, which has none.</param>
/// <param name="Requirement">The library's answer for this user.</param>
/// <param name="AuthenticatorEnrolled">Whether an authenticator app is active.</param>
/// <param name="RecoveryCodesLeft">Unused recovery codes.</param>
internal sealed record UserListItem(
    long Id,
    string Login,
    string Name,
    string Kind,
    long AccountId,
    string Origin,
    bool Demo,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] MfaSettings? Settings,
    UserRequirement Requirement,
    bool AuthenticatorEnrolled,
    int RecoveryCodesLeft);

/// <summary>The library's answer for one user, and why.</summary>
/// <param name="Required">Whether the user must pass a second step.</param>
/// <param name="FactorTypes">The factor types it may pass with; empty unless required.</param>
/// <param name="Reason"><c>demo_account</c>, <c>setting_disallowed</c>, or omitted when required.</param>
/// <param name="Rule">The deciding rule of policy.md: <c>R1</c> demo, <c>R2</c> sub-user follows its account, <c>R3</c> the account's setting, <c>R4</c> unknown.</param>
/// <param name="Explanation">The library's sentence for admin screens.</param>
internal sealed record UserRequirement(
    bool Required,
    IReadOnlyList<string> FactorTypes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    string Rule,
    string Explanation)
{
    /// <summary>The wire form of a resolver answer.</summary>
    /// <param name="requirement">The answer.</param>
    public static UserRequirement Of(Requirement requirement) => new(
        requirement.IsRequired,
        FactorWire.Names(requirement.Factors) ?? [],
        requirement.Reason switch
        {
            NotRequiredReason.DemoAccount => "demo_account",
            NotRequiredReason.SettingDisallowed => "setting_disallowed",
            _ => null,
        },
        requirement.Explanation.Rule switch
        {
            PolicyRule.DemoExemption => "R1",
            PolicyRule.SubUserFollowsAccount => "R2",
            PolicyRule.AccountSetting => "R3",
            _ => "R4",
        },
        requirement.Explanation.ToString());
}

/// <summary>The answer of <c>panel/user/mfa/settings/everyone</c>.</summary>
/// <param name="ChangedAccounts">Accounts whose answer changed (or, in a dry run, would change); demo accounts never count.</param>
/// <param name="DryRun">Whether nothing was changed.</param>
/// <param name="ScheduledId">For a later <c>effective_from</c>, the scheduled change's id; left out otherwise.</param>
/// <param name="EffectiveFrom">For a later <c>effective_from</c>, the moment it applies from; left out otherwise.</param>
internal sealed record EveryoneResponse(
    long ChangedAccounts,
    bool DryRun,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? ScheduledId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? EffectiveFrom) : NavixySuccess;

/// <summary>The answer of <c>panel/user/mfa/unlock</c>.</summary>
/// <param name="Unlocked">Whether there was a wrong-code count or a lockout to clear.</param>
internal sealed record UnlockResponse(bool Unlocked) : NavixySuccess;
