using System.Diagnostics.CodeAnalysis;

namespace Navixy.TwoFactor.Totp;

/// <summary>
/// The answer to <see cref="ITotpEnrollment.BeginAsync"/>. Only <see cref="TotpEnrollmentOutcome.Begun"/> carries the secret,
/// and only this once: show it to the principal (as a QR code of <see cref="OtpAuthUri"/> and as text) and drop it. No API
/// returns it again. <see cref="ToString"/> never shows it. <c>default</c> is <see cref="TotpEnrollmentOutcome.Failed"/>.
/// </summary>
public readonly record struct TotpEnrollmentBeginResult
{
    private TotpEnrollmentBeginResult(TotpEnrollmentOutcome outcome, string? secret = null, string? otpAuthUri = null, DateTimeOffset expiresAt = default, TotpParameters parameters = default)
    {
        Outcome = outcome;
        Secret = secret;
        OtpAuthUri = otpAuthUri;
        ExpiresAt = expiresAt;
        Parameters = parameters;
    }

    /// <summary>What happened: <see cref="TotpEnrollmentOutcome.Begun"/>, or why not.</summary>
    public TotpEnrollmentOutcome Outcome { get; }

    /// <summary>The new secret as unpadded Base32 (RFC 4648), for typing into an app by hand; <see langword="null"/> unless begun.</summary>
    public string? Secret { get; }

    /// <summary>The <c>otpauth://totp/</c> URI to show as a QR code; it contains the secret. <see langword="null"/> unless begun.</summary>
    public string? OtpAuthUri { get; }

    /// <summary>Until when the enrolment can be confirmed.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Algorithm, digits and period the app must use (also in the URI).</summary>
    public TotpParameters Parameters { get; }

    /// <summary>
    /// Whether an enrolment was begun: the one success flag, <see langword="false"/> for <c>default</c>. When
    /// <see langword="true"/>, <see cref="Secret"/> and <see cref="OtpAuthUri"/> are not <see langword="null"/>.
    /// </summary>
    [MemberNotNullWhen(true, nameof(Secret), nameof(OtpAuthUri))]
    public bool IsBegun => Outcome == TotpEnrollmentOutcome.Begun;

    /// <summary>A begun enrolment.</summary>
    /// <param name="secret">The Base32 secret.</param>
    /// <param name="otpAuthUri">The URI.</param>
    /// <param name="expiresAt">Until when it can be confirmed.</param>
    /// <param name="parameters">The app's parameters.</param>
    public static TotpEnrollmentBeginResult Begun(string secret, string otpAuthUri, DateTimeOffset expiresAt, TotpParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(otpAuthUri);
        return new(TotpEnrollmentOutcome.Begun, secret, otpAuthUri, expiresAt, parameters);
    }

    /// <summary>An answer that carries nothing but its outcome: failed, unknown principal or step-up required.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <exception cref="ArgumentOutOfRangeException">Another outcome.</exception>
    public static TotpEnrollmentBeginResult Of(TotpEnrollmentOutcome outcome) => outcome is TotpEnrollmentOutcome.Failed
        or TotpEnrollmentOutcome.UnknownPrincipal or TotpEnrollmentOutcome.StepUpRequired
        ? new(outcome)
        : throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Not an answer of BeginAsync, or it needs data.");

    /// <summary>The principal is locked: enrolment begins only once the lockout ends (policy.md C4).</summary>
    /// <param name="until">Until when.</param>
    public static TotpEnrollmentBeginResult PrincipalLocked(DateTimeOffset until) => new(TotpEnrollmentOutcome.PrincipalLocked) { LockedUntil = until };

    /// <summary><see cref="TotpEnrollmentOutcome.PrincipalLocked"/>: until when; <see langword="null"/> otherwise.</summary>
    public DateTimeOffset? LockedUntil { get; private init; }

    /// <summary>Describes the answer without the secret or the URI, e.g. <c>Begun, confirm before 2026-01-01T00:10:00Z</c>.</summary>
    public override string ToString() => Outcome == TotpEnrollmentOutcome.Begun
        ? FormattableString.Invariant($"Begun, confirm before {ExpiresAt:O}")
        : Outcome.ToString();
}
