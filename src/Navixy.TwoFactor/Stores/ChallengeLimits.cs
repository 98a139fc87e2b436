namespace Navixy.TwoFactor.Stores;

/// <summary>The limits a store enforces in one atomic operation; taken from <see cref="ChallengeOptions"/>.</summary>
/// <param name="MaxAttempts">Attempts per challenge (<see cref="ChallengeOptions.MaxAttempts"/>).</param>
/// <param name="MaxSends">Sends per challenge, the first included (<see cref="ChallengeOptions.MaxSends"/>).</param>
/// <param name="LockoutThreshold">Consecutive failures per lockout (<see cref="ChallengeOptions.PrincipalLockoutThreshold"/>).</param>
/// <param name="LockoutDuration">The first lockout's length (<see cref="ChallengeOptions.PrincipalLockoutDuration"/>).</param>
/// <param name="MaxConsecutiveFailures">Failures that lock until reset (<see cref="ChallengeOptions.PrincipalMaxConsecutiveFailures"/>).</param>
public readonly record struct ChallengeLimits(
    int MaxAttempts,
    int MaxSends,
    int LockoutThreshold,
    TimeSpan LockoutDuration,
    int MaxConsecutiveFailures)
{
    /// <summary>The longest single lockout short of the lock until reset: doubling stops here.</summary>
    public static readonly TimeSpan MaxLockoutDuration = TimeSpan.FromDays(365);

    /// <summary>
    /// How long after a code was sent to a principal a start that sends one is refused (policy.md C9;
    /// <see cref="ChallengeOptions.ResendCooldown"/>). <see cref="TimeSpan.Zero"/>: no cooldown.
    /// </summary>
    public TimeSpan SendCooldown { get; init; }

    /// <summary>
    /// Open challenges per principal; a start beyond it revokes the oldest (policy.md C9;
    /// <see cref="ChallengeOptions.MaxOpenChallenges"/>). Zero: no cap.
    /// </summary>
    public int MaxOpenChallenges { get; init; }

    /// <summary>Takes the limits from options.</summary>
    /// <param name="options">The options.</param>
    public static ChallengeLimits From(ChallengeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.MaxAttempts, options.MaxSends, options.PrincipalLockoutThreshold, options.PrincipalLockoutDuration, options.PrincipalMaxConsecutiveFailures)
        {
            SendCooldown = options.ResendCooldown,
            MaxOpenChallenges = options.MaxOpenChallenges,
        };
    }

    /// <summary>
    /// The lockout a principal gets when its consecutive failures reach <paramref name="consecutiveFailures"/>:
    /// <see cref="DateTimeOffset.MaxValue"/> (until reset) from <see cref="MaxConsecutiveFailures"/> on; at every
    /// k-th multiple of <see cref="LockoutThreshold"/> below that, <c>now + LockoutDuration × 2^(k−1)</c> (capped
    /// at <see cref="MaxLockoutDuration"/>); otherwise none. A database store may compute the same in SQL.
    /// </summary>
    /// <param name="consecutiveFailures">The count after the failure just recorded.</param>
    /// <param name="now">The engine's time.</param>
    /// <returns>The end of the lockout, or <see langword="null"/> for none.</returns>
    public DateTimeOffset? LockUntil(int consecutiveFailures, DateTimeOffset now)
    {
        if (consecutiveFailures >= MaxConsecutiveFailures)
        {
            return DateTimeOffset.MaxValue;
        }

        if (LockoutThreshold <= 0 || consecutiveFailures <= 0 || consecutiveFailures % LockoutThreshold != 0)
        {
            return null;
        }

        var doublings = (consecutiveFailures / LockoutThreshold) - 1;
        var duration = LockoutDuration;
        for (var i = 0; i < doublings && duration < MaxLockoutDuration; i++)
        {
            duration += duration;
        }

        if (duration > MaxLockoutDuration)
        {
            duration = MaxLockoutDuration;
        }

        return DateTimeOffset.MaxValue - now <= duration ? DateTimeOffset.MaxValue : now + duration;
    }
}
