using System.Globalization;
using System.Runtime.CompilerServices;
using Navixy.TwoFactor.Devices;
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

    /// <summary>
    /// A second step is required, but the start was presented a valid remembered-device token (policy.md D2). Only a
    /// start answers it; the resolver never does.
    /// </summary>
    RememberedDevice = 3,
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
/// unknown principal; always with its <see cref="Explanation"/>. <c>default</c> is
/// <see cref="RequirementOutcome.UnknownPrincipal"/>, which never lets a login through.
/// </summary>
/// <remarks>
/// A host's own <see cref="ITwoFactorResolver"/> (a test double, say) builds answers with <see cref="Required"/>,
/// <see cref="NotRequired"/> and <see cref="UnknownPrincipal"/>; they refuse answers <see cref="TwoFactorResolver"/> never
/// gives, so the engine sees only shapes it knows.
/// </remarks>
public readonly record struct Requirement
{
    // Packed to 40 bytes (from 56): every resolve returns one, a ValueTask carries one, and a bulk page holds a thousand.
    // The values the factories validate (outcome, factors, reason, rule) fit a byte; kind and source, which a host's
    // explanation may carry unvalidated, keep their full width.
    private readonly long _principalId;
    private readonly long _accountId;
    private readonly long _settingVersion;
    private readonly PrincipalKind _kind;
    private readonly SettingSource _source;
    private readonly byte _outcome;
    private readonly byte _factors;
    private readonly byte _reason;
    private readonly byte _rule;

    private Requirement(long principalId, RequirementOutcome outcome, FactorTypes factors, NotRequiredReason reason, Explanation explanation)
    {
        _principalId = principalId;
        _outcome = (byte)outcome;
        _factors = (byte)factors;
        _reason = (byte)reason;
        _rule = (byte)explanation.Rule;
        _kind = explanation.PrincipalKind;
        _accountId = explanation.AccountId;
        _source = explanation.Source;
        _settingVersion = explanation.SettingVersion;
    }

    /// <summary>The principal asked about.</summary>
    public long PrincipalId => _principalId;

    /// <summary>Required, not required, or unknown principal.</summary>
    public RequirementOutcome Outcome => (RequirementOutcome)_outcome;

    /// <summary>The factor types the principal may pass the second step with; <see cref="FactorTypes.None"/> unless required.</summary>
    public FactorTypes Factors => (FactorTypes)_factors;

    /// <summary>Why not required; <see cref="NotRequiredReason.None"/> otherwise.</summary>
    public NotRequiredReason Reason => (NotRequiredReason)_reason;

    /// <summary>Which rule decided and which setting it came from.</summary>
    public Explanation Explanation => new((PolicyRule)_rule, _kind, _accountId, _source, _settingVersion);

    /// <summary>Whether a second step is required; <see langword="false"/> for <c>default</c> (an unknown principal, never a pass).</summary>
    public bool IsRequired => Outcome == RequirementOutcome.Required;

    /// <summary>The principal must pass a second step with one of <paramref name="factors"/>.</summary>
    /// <param name="principalId">The principal asked about.</param>
    /// <param name="factors">The factor types it may pass with: at least one, and only ones this library knows.</param>
    /// <param name="explanation">
    /// Why: rule <see cref="PolicyRule.AccountSetting"/> (an account) or <see cref="PolicyRule.SubUserFollowsAccount"/> (a
    /// sub-user), with the deciding account, where its setting came from and that setting's version.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">No factor, an unknown factor, or an explanation the resolver never gives with this answer.</exception>
    public static Requirement Required(long principalId, FactorTypes factors, Explanation explanation)
    {
        if (factors == FactorTypes.None || !factors.IsKnown())
        {
            throw new ArgumentOutOfRangeException(nameof(factors), factors, "A required second step needs at least one known factor type.");
        }

        ThrowIfNotBySetting(explanation);
        return Resolved(principalId, factors, explanation);
    }

    /// <summary>The principal need not pass a second step.</summary>
    /// <param name="principalId">The principal asked about.</param>
    /// <param name="reason">Why: <see cref="NotRequiredReason.DemoAccount"/> or <see cref="NotRequiredReason.SettingDisallowed"/>.</param>
    /// <param name="explanation">
    /// The rule that matches <paramref name="reason"/>: <see cref="PolicyRule.DemoExemption"/> for a demo account (and its
    /// sub-users); <see cref="PolicyRule.AccountSetting"/> or <see cref="PolicyRule.SubUserFollowsAccount"/> for a disallowed setting.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">No or an unknown reason, or an explanation that does not match it.</exception>
    public static Requirement NotRequired(long principalId, NotRequiredReason reason, Explanation explanation)
    {
        switch (reason)
        {
            case NotRequiredReason.DemoAccount:
                if (explanation.Rule != PolicyRule.DemoExemption || explanation.PrincipalKind == PrincipalKind.Unknown)
                {
                    throw new ArgumentOutOfRangeException(nameof(explanation), explanation, "A demo exemption is explained by rule DemoExemption for an account or a sub-user.");
                }

                break;
            case NotRequiredReason.SettingDisallowed:
                ThrowIfNotBySetting(explanation);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(reason), reason, "Say why no second step is required: DemoAccount or SettingDisallowed.");
        }

        return Resolved(principalId, reason, explanation);
    }

    /// <summary>The principal is not registered in the tenant (R4); the explanation is rule <see cref="PolicyRule.UnknownPrincipal"/>.</summary>
    /// <param name="principalId">The principal asked about.</param>
    public static Requirement UnknownPrincipal(long principalId) =>
        new(principalId, RequirementOutcome.UnknownPrincipal, FactorTypes.None, NotRequiredReason.None,
            new Explanation(PolicyRule.UnknownPrincipal, PrincipalKind.Unknown, 0, SettingSource.None, 0));

    /// <summary>The resolver's answer of any kind but unknown, unchecked: it holds the invariants itself and never throws.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Requirement Resolved(long principalId, RequirementOutcome outcome, FactorTypes factors, NotRequiredReason reason, Explanation explanation) =>
        new(principalId, outcome, factors, reason, explanation);

    /// <summary>The resolver's required answer, unchecked: it holds the invariants itself and never throws.</summary>
    internal static Requirement Resolved(long principalId, FactorTypes factors, Explanation explanation) =>
        new(principalId, RequirementOutcome.Required, factors, NotRequiredReason.None, explanation);

    /// <summary>The resolver's not-required answer, unchecked: it holds the invariants itself and never throws.</summary>
    internal static Requirement Resolved(long principalId, NotRequiredReason reason, Explanation explanation) =>
        new(principalId, RequirementOutcome.NotRequired, FactorTypes.None, reason, explanation);

    private static void ThrowIfNotBySetting(Explanation explanation)
    {
        var bySetting = explanation.Rule switch
        {
            PolicyRule.AccountSetting => explanation.PrincipalKind == PrincipalKind.Account,
            PolicyRule.SubUserFollowsAccount => explanation.PrincipalKind == PrincipalKind.SubUser,
            _ => false,
        };
        if (!bySetting)
        {
            throw new ArgumentOutOfRangeException(
                nameof(explanation), explanation, "An answer decided by a setting is explained by rule AccountSetting (an account) or SubUserFollowsAccount (a sub-user).");
        }
    }
}
