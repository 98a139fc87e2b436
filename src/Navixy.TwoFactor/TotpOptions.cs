namespace Navixy.TwoFactor;

/// <summary>
/// Options of the authenticator-app factor (policy.md T1–T2), recovery codes and step-up. Every value has a
/// documented default and range, validated when the host starts (<c>ValidateOnStart</c>). Set them through
/// <c>AddNavixyTwoFactor(o =&gt; o.Totp.StepsBack = 2)</c>.
/// </summary>
public sealed class TotpOptions
{
    /// <summary>The lowest <see cref="TotpParameters.PeriodSeconds"/>.</summary>
    public const int MinPeriodSeconds = 15;

    /// <summary>The highest <see cref="TotpParameters.PeriodSeconds"/>.</summary>
    public const int MaxPeriodSeconds = 120;

    /// <summary>The most steps <see cref="StepsBack"/> or <see cref="StepsForward"/> may allow.</summary>
    public const int MaxWindowSteps = 5;

    /// <summary>The most recovery codes per principal (<see cref="RecoveryCodeCount"/>).</summary>
    public const int MaxRecoveryCodeCount = 50;

    /// <summary>The lowest <see cref="RecoveryCodeIterations"/>.</summary>
    public const int MinRecoveryCodeIterations = 10_000;

    /// <summary>The highest <see cref="RecoveryCodeIterations"/>.</summary>
    public const int MaxRecoveryCodeIterations = 10_000_000;

    /// <summary>
    /// Algorithm, digits and period of new enrolments, written into the <c>otpauth://</c> URI. Default SHA1, 6 digits,
    /// 30 seconds (what every authenticator app supports); digits 6 or 8; period 15 to 120 seconds. The same values
    /// verify every enrolment: changing them makes the codes of existing enrolments wrong.
    /// </summary>
    public TotpParameters Parameters { get; set; } = TotpParameters.Default;

    /// <summary>
    /// Earlier time steps whose code is still accepted (clock drift and typing time). Default 1; range 0 to 5.
    /// A step at or before the last accepted one is refused whatever the window (replay).
    /// </summary>
    public int StepsBack { get; set; } = 1;

    /// <summary>Later time steps whose code is already accepted (a phone clock running ahead). Default 1; range 0 to 5.</summary>
    public int StepsForward { get; set; } = 1;

    /// <summary>
    /// How long a begun enrolment can be confirmed; afterwards it must be begun again. Default 10 minutes; range
    /// 1 minute to 24 hours.
    /// </summary>
    public TimeSpan PendingEnrollmentLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Recovery codes issued at each confirmation or regeneration. Default 10; range 1 to 50.</summary>
    public int RecoveryCodeCount { get; set; } = 10;

    /// <summary>
    /// PBKDF2-HMAC-SHA256 iterations a recovery code is stored with. Default 100,000; range 10,000 to 10,000,000.
    /// Each redemption costs one such hash; codes keep the count they were made with.
    /// </summary>
    public int RecoveryCodeIterations { get; set; } = 100_000;

    /// <summary>
    /// How long after a passed second step its challenge token can be presented, once, as proof for a sensitive
    /// change (replacing or disabling the authenticator app, regenerating recovery codes). Default 5 minutes; range
    /// 1 minute to 1 hour, and not longer than <c>Challenges.ChallengeLifetime</c>: a pass is kept only while its
    /// challenge lives, so the proof also ends with the challenge.
    /// </summary>
    public TimeSpan StepUpLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
