namespace Navixy.TwoFactor;

/// <summary>
/// Limits of the login second step (policy.md C1–C4). Every value has a documented default and range, and
/// the whole set is validated when the host starts (<c>ValidateOnStart</c>), so bad configuration never
/// reaches a login. Set them through <c>AddNavixyTwoFactor(o =&gt; o.Challenges.CodeLength = 8)</c>.
/// </summary>
public sealed class ChallengeOptions
{
    /// <summary>The lowest <see cref="CodeLength"/>.</summary>
    public const int MinCodeLength = 6;

    /// <summary>The highest <see cref="CodeLength"/>.</summary>
    public const int MaxCodeLength = 10;

    /// <summary>The highest <see cref="PrincipalMaxConsecutiveFailures"/>: 100 consecutive failures are never reached (NIST SP 800-63B).</summary>
    public const int MaxConsecutiveFailuresLimit = 99;

    /// <summary>Digits per email code. Default 6; range 6 to 10. Leading zeros are kept.</summary>
    public int CodeLength { get; set; } = 6;

    /// <summary>
    /// How long a code is accepted after it was sent (C2): accepted while <c>now &lt; sent + lifetime</c>.
    /// Default 5 minutes; range 30 seconds to 1 hour, and not longer than <see cref="ChallengeLifetime"/>. A code
    /// never outlives its challenge.
    /// </summary>
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long after a send a resend is refused (C3), and how long after any code sent to a principal a new start that
    /// would send one is refused (C9). Default 1 minute; range 1 second to 1 hour, and shorter than <see cref="ChallengeLifetime"/>.
    /// </summary>
    public TimeSpan ResendCooldown { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Wrong codes a challenge accepts before it is locked for good (C4); resends never refill them.
    /// Default 5; range 1 to 20.
    /// </summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// Challenges of one principal open at once (C9); starting one more revokes the oldest, so a burst of starts keeps
    /// what the engine holds per principal bounded. Default 5; range 1 to 20.
    /// </summary>
    public int MaxOpenChallenges { get; set; } = 5;

    /// <summary>Codes sent per challenge, the first send included (C3). Default 5; range 1 to 20.</summary>
    public int MaxSends { get; set; } = 5;

    /// <summary>
    /// How long a challenge lives from its start, resends included; after it, verify answers expired and
    /// resend is refused. Default 15 minutes; range 1 minute to 24 hours.
    /// </summary>
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Consecutive wrong codes of one principal, across all its challenges, that lock the principal (C4).
    /// Every further multiple locks it again. A success resets the count. Default 10; range 1 to 50, and not
    /// above <see cref="PrincipalMaxConsecutiveFailures"/>.
    /// </summary>
    public int PrincipalLockoutThreshold { get; set; } = 10;

    /// <summary>
    /// How long the first principal lockout lasts; each further lockout of the same failure streak doubles it
    /// (15, 30, 60, ... minutes), capped at one year. Default 15 minutes; range 1 minute to 7 days.
    /// </summary>
    public TimeSpan PrincipalLockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The consecutive wrong code at which the principal is locked until the host unlocks it
    /// (<c>ITwoFactorAdministration.UnlockAsync</c>) instead of for a while, so that 100 consecutive failures can
    /// never be reached (NIST SP 800-63B 5.2.2). Default 50 (locks of 15, 30, 60 and 120 minutes come first);
    /// range <see cref="PrincipalLockoutThreshold"/> to 99.
    /// </summary>
    public int PrincipalMaxConsecutiveFailures { get; set; } = 50;
}
