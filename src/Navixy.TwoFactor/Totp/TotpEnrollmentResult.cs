using Navixy.TwoFactor.Cryptography;

namespace Navixy.TwoFactor.Totp;

/// <summary>
/// The answer to confirming, regenerating recovery codes, disabling and resetting. Only
/// <see cref="TotpEnrollmentOutcome.Confirmed"/> and <see cref="TotpEnrollmentOutcome.RecoveryCodesRegenerated"/> carry
/// recovery codes, and only this once. <see cref="ToString"/> never shows them. <c>default</c> is
/// <see cref="TotpEnrollmentOutcome.Failed"/>.
/// </summary>
public readonly record struct TotpEnrollmentResult
{
    private TotpEnrollmentResult(TotpEnrollmentOutcome outcome, IReadOnlyList<string>? recoveryCodes = null, DateTimeOffset? lockedUntil = null)
    {
        Outcome = outcome;
        _recoveryCodes = recoveryCodes;
        LockedUntil = lockedUntil;
    }

    private readonly IReadOnlyList<string>? _recoveryCodes;

    /// <summary>What happened.</summary>
    public TotpEnrollmentOutcome Outcome { get; }

    /// <summary>
    /// The new recovery codes (five groups of four characters, e.g. <c>7K3M-…</c>), to show once and never again; each
    /// works once in place of a code. Empty unless confirmed or regenerated.
    /// </summary>
    public IReadOnlyList<string> RecoveryCodes => _recoveryCodes ?? [];

    /// <summary>Until when the principal is locked (<see cref="TotpEnrollmentOutcome.PrincipalLocked"/> only).</summary>
    public DateTimeOffset? LockedUntil { get; }

    /// <summary>
    /// Whether the operation did what it was asked: <see cref="TotpEnrollmentOutcome.Confirmed"/>,
    /// <see cref="TotpEnrollmentOutcome.RecoveryCodesRegenerated"/>, <see cref="TotpEnrollmentOutcome.Disabled"/> or
    /// <see cref="TotpEnrollmentOutcome.Reset"/>. The one success flag, <see langword="false"/> for <c>default</c>.
    /// </summary>
    public bool Succeeded => Outcome is TotpEnrollmentOutcome.Confirmed or TotpEnrollmentOutcome.RecoveryCodesRegenerated
        or TotpEnrollmentOutcome.Disabled or TotpEnrollmentOutcome.Reset;

    /// <summary>The enrolment was confirmed.</summary>
    /// <param name="recoveryCodes">The new recovery codes.</param>
    public static TotpEnrollmentResult Confirmed(IReadOnlyList<string> recoveryCodes)
    {
        ArgumentNullException.ThrowIfNull(recoveryCodes);
        return new(TotpEnrollmentOutcome.Confirmed, recoveryCodes);
    }

    /// <summary>New recovery codes replaced the old ones.</summary>
    /// <param name="recoveryCodes">The new recovery codes.</param>
    public static TotpEnrollmentResult RecoveryCodesRegenerated(IReadOnlyList<string> recoveryCodes)
    {
        ArgumentNullException.ThrowIfNull(recoveryCodes);
        return new(TotpEnrollmentOutcome.RecoveryCodesRegenerated, recoveryCodes);
    }

    /// <summary>The principal is locked.</summary>
    /// <param name="until">Until when.</param>
    public static TotpEnrollmentResult PrincipalLocked(DateTimeOffset until) => new(TotpEnrollmentOutcome.PrincipalLocked, lockedUntil: until);

    /// <summary>An answer that carries nothing but its outcome.</summary>
    /// <param name="outcome">Any outcome but begun, confirmed, recovery codes regenerated and principal locked.</param>
    /// <exception cref="ArgumentOutOfRangeException">The outcome needs data, or is not an answer of these operations.</exception>
    public static TotpEnrollmentResult Of(TotpEnrollmentOutcome outcome) => outcome is TotpEnrollmentOutcome.Begun
        or TotpEnrollmentOutcome.Confirmed or TotpEnrollmentOutcome.RecoveryCodesRegenerated or TotpEnrollmentOutcome.PrincipalLocked
        || !Enum.IsDefined(outcome)
        ? throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Use the factory method of this outcome.")
        : new(outcome);

    /// <summary>Describes the answer without the codes, e.g. <c>Confirmed (10 recovery codes)</c>.</summary>
    public override string ToString() => Outcome switch
    {
        TotpEnrollmentOutcome.Confirmed or TotpEnrollmentOutcome.RecoveryCodesRegenerated => FormattableString.Invariant($"{Outcome} ({RecoveryCodes.Count} recovery codes)"),
        TotpEnrollmentOutcome.PrincipalLocked => FormattableString.Invariant($"PrincipalLocked until {LockedUntil:O}"),
        _ => Outcome.ToString(),
    };
}
