using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Diagnostics;

/// <summary>Which settings operation a <see cref="TwoFactorAuditEventKind.SettingsChanged"/> event records.</summary>
public enum SettingsChangeScope
{
    /// <summary>Not a settings event.</summary>
    None = 0,

    /// <summary>An update of all accounts (S2).</summary>
    AllAccounts = 1,

    /// <summary>An update of selected accounts (S3); <see cref="TwoFactorAuditEvent.AccountIds"/> lists them.</summary>
    SelectedAccounts = 2,

    /// <summary>An update of the default for new accounts (S5).</summary>
    Default = 3,

    /// <summary>Enforce for everyone: all accounts and the default in one step (S6).</summary>
    Everyone = 4,
}

/// <summary>
/// One audit event, handed to every <see cref="ITwoFactorAuditSink"/>. It says who, what and when; it never
/// carries a code, key or token.
/// </summary>
public sealed record TwoFactorAuditEvent
{
    /// <summary>What happened.</summary>
    public required TwoFactorAuditEventKind Kind { get; init; }

    /// <summary>The tenant.</summary>
    public required TenantId Tenant { get; init; }

    /// <summary>When, by the engine's <see cref="TimeProvider"/>.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The principal, when known (an unknown or malformed token names none).</summary>
    public long? PrincipalId { get; init; }

    /// <summary>The factor of the challenge; <see cref="FactorTypes.None"/> when not about a challenge.</summary>
    public FactorTypes Factor { get; init; }

    /// <summary>Wrong codes the challenge still accepts (wrong code events).</summary>
    public int? AttemptsLeft { get; init; }

    /// <summary>Until when the principal is locked (lockout events; <see cref="DateTimeOffset.MaxValue"/>: until the host unlocks it).</summary>
    public DateTimeOffset? LockedUntil { get; init; }

    /// <summary>Which settings operation (settings events).</summary>
    public SettingsChangeScope SettingsScope { get; init; }

    /// <summary>The setting applied (settings events).</summary>
    public TwoFactorSetting? Setting { get; init; }

    /// <summary>The selected account ids (settings events of <see cref="SettingsChangeScope.SelectedAccounts"/>); otherwise empty.</summary>
    public IReadOnlyList<long> AccountIds { get; init; } = [];

    /// <summary>How many non-demo accounts' effective setting changed (settings events).</summary>
    public long ChangedAccounts { get; init; }

    /// <summary>The tenant version stamp the update was applied with (settings events).</summary>
    public long SettingsVersion { get; init; }
}
