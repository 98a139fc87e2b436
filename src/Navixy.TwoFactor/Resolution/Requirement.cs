using System.Globalization;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Resolution;

/// <summary>The resolver's answer kind.</summary>
public enum RequirementOutcome
{
    /// <summary>The principal is not registered in the tenant (R4). Never treat this as "not required".</summary>
    UnknownPrincipal = 0,

    /// <summary>The principal need not pass a second step; <see cref="Requirement.Reason"/> says why.</summary>
    NotRequired = 1,

    /// <summary>The principal must pass a second step with one of <see cref="Requirement.Factors"/>.</summary>
    Required = 2,
}

/// <summary>Why a second step is not required.</summary>
public enum NotRequiredReason
{
    /// <summary>Not applicable (the answer is required or unknown).</summary>
    None = 0,

    /// <summary>The deciding account is a demo account (R1).</summary>
    DemoAccount = 1,

    /// <summary>The deciding account's effective setting is <c>Disallowed</c> (R3).</summary>
    SettingDisallowed = 2,
}

/// <summary>The rule of policy.md that decided an answer.</summary>
public enum PolicyRule
{
    /// <summary>R4: the principal is not registered in the tenant.</summary>
    UnknownPrincipal = 0,

    /// <summary>R1: demo accounts and their sub-users are never asked.</summary>
    DemoExemption = 1,

    /// <summary>R2 with R3: a sub-user follows its account's setting.</summary>
    SubUserFollowsAccount = 2,

    /// <summary>R3: the account's effective setting decides.</summary>
    AccountSetting = 3,
}

/// <summary>
/// Why the resolver answered as it did: the rule, the account whose setting (or demo flag) decided, and
/// where that setting came from. Carries no strings, so resolving allocates nothing.
/// </summary>
/// <param name="Rule">The deciding rule.</param>
/// <param name="PrincipalKind">What the principal asked about is.</param>
/// <param name="AccountId">The deciding account; 0 for an unknown principal.</param>
/// <param name="Source">Where the deciding setting came from; <see cref="SettingSource.None"/> for demo and unknown.</param>
/// <param name="SettingVersion">The version stamp of the operation that wrote the deciding setting; 0 when none.</param>
public readonly record struct Explanation(
    PolicyRule Rule,
    PrincipalKind PrincipalKind,
    long AccountId,
    SettingSource Source,
    long SettingVersion)
{
    /// <summary>A sentence for logs and admin screens, e.g. <c>R2: sub-user follows account 5, setting from update of all accounts (version 12)</c>.</summary>
    public override string ToString()
    {
        var account = AccountId.ToString(CultureInfo.InvariantCulture);
        var source = Source switch
        {
            SettingSource.TenantDefault => "setting from the tenant default at registration",
            SettingSource.SelectedUpdate => "setting from an update of selected accounts",
            SettingSource.AllAccountsUpdate => "setting from an update of all accounts",
            _ => "no setting",
        };
        var version = SettingVersion.ToString(CultureInfo.InvariantCulture);
        return Rule switch
        {
            PolicyRule.UnknownPrincipal => "R4: principal not registered in this tenant",
            PolicyRule.DemoExemption when PrincipalKind == PrincipalKind.SubUser => $"R1: sub-user of demo account {account} is exempt",
            PolicyRule.DemoExemption => $"R1: demo account {account} is exempt",
            PolicyRule.SubUserFollowsAccount => $"R2: sub-user follows account {account}, {source} (version {version})",
            _ => $"R3: account {account}, {source} (version {version})",
        };
    }
}

/// <summary>
/// The resolver's answer for one principal: required with factors, not required with a reason, or
/// unknown principal; always with its <see cref="Explanation"/>.
/// </summary>
public readonly record struct Requirement
{
    private Requirement(long principalId, RequirementOutcome outcome, FactorTypes factors, NotRequiredReason reason, Explanation explanation)
    {
        PrincipalId = principalId;
        Outcome = outcome;
        Factors = factors;
        Reason = reason;
        Explanation = explanation;
    }

    /// <summary>The principal asked about.</summary>
    public long PrincipalId { get; }

    /// <summary>Required, not required, or unknown principal.</summary>
    public RequirementOutcome Outcome { get; }

    /// <summary>The factor types the principal may pass the second step with; <see cref="FactorTypes.None"/> unless required.</summary>
    public FactorTypes Factors { get; }

    /// <summary>Why not required; <see cref="NotRequiredReason.None"/> otherwise.</summary>
    public NotRequiredReason Reason { get; }

    /// <summary>Which rule decided and which setting it came from.</summary>
    public Explanation Explanation { get; }

    /// <summary>Whether a second step is required.</summary>
    public bool IsRequired => Outcome == RequirementOutcome.Required;

    internal static Requirement Required(long principalId, FactorTypes factors, Explanation explanation) =>
        new(principalId, RequirementOutcome.Required, factors, NotRequiredReason.None, explanation);

    internal static Requirement NotRequired(long principalId, NotRequiredReason reason, Explanation explanation) =>
        new(principalId, RequirementOutcome.NotRequired, FactorTypes.None, reason, explanation);

    internal static Requirement Unknown(long principalId) =>
        new(principalId, RequirementOutcome.UnknownPrincipal, FactorTypes.None, NotRequiredReason.None,
            new Explanation(PolicyRule.UnknownPrincipal, PrincipalKind.Unknown, 0, SettingSource.None, 0));
}
