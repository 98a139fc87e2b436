namespace Navixy.TwoFactor.Stores.EnrollmentPeriods;

/// <summary>
/// A principal's enrolment period as a store answers it (policy.md G1): the tenant's period now, and when the principal's
/// period started (null until a start recorded one).
/// </summary>
/// <param name="Period">The tenant's enrolment period now; <see cref="TimeSpan.Zero"/> for none.</param>
/// <param name="StartedAt">When the principal's period started; null when none is recorded.</param>
public readonly record struct EnrollmentPeriodState(TimeSpan Period, DateTimeOffset? StartedAt)
{
    /// <summary>The end of the period (T), as <see cref="EnrollmentPeriodRule.EndOf"/> answers it.</summary>
    public DateTimeOffset? EnrollUntil => EnrollmentPeriodRule.EndOf(this);
}

/// <summary>
/// The enrolment period (policy.md G1), in one place: which periods a tenant may set, when a start records a principal's
/// start, where the period ends and whether a moment is inside it. Pure: the engine and every store call it (a database
/// statement says the same in SQL, and the shared specification proves them equal).
/// </summary>
public static class EnrollmentPeriodRule
{
    /// <summary>The longest enrolment period a tenant may set: 90 days.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(90);

    /// <summary>Whether a tenant may set <paramref name="period"/>: zero (none, the default) up to <see cref="MaxPeriod"/>.</summary>
    /// <param name="period">The period asked for.</param>
    public static bool IsValidPeriod(TimeSpan period) => period >= TimeSpan.Zero && period <= MaxPeriod;

    /// <summary>
    /// Whether a start of a principal without an authenticator records its start under the tenant's
    /// <paramref name="period"/>: only when the tenant has one (none starts nothing, and the principal's period then begins
    /// at its first such start after the tenant sets one).
    /// </summary>
    /// <param name="period">The tenant's period now.</param>
    public static bool Starts(TimeSpan period) => period > TimeSpan.Zero;

    /// <summary>
    /// The end of the principal's period (T): its recorded start plus the tenant's period now (a changed period moves T for
    /// every principal at once); null when the tenant has none or no start is recorded.
    /// </summary>
    /// <param name="state">The period and start on record.</param>
    public static DateTimeOffset? EndOf(in EnrollmentPeriodState state) =>
        Starts(state.Period) && state.StartedAt is { } started ? started + state.Period : null;

    /// <summary>Whether <paramref name="now"/> is inside the principal's period: before its end T (at T it is over).</summary>
    /// <param name="state">The period and start on record.</param>
    /// <param name="now">The engine's time.</param>
    public static bool IsInside(in EnrollmentPeriodState state, DateTimeOffset now) => EndOf(state) is { } end && now < end;
}
