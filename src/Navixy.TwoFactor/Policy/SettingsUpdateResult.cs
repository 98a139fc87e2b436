namespace Navixy.TwoFactor.Policy;

/// <summary>
/// The answer to a settings update: applied (or, in a dry run, would apply) with the number of accounts
/// whose effective answer changes, or rejected with every reason. A rejected update changed nothing (S8).
/// <c>default</c> is <see cref="Failed"/> (a store failed), never a success: not <see cref="Succeeded"/>, with no errors.
/// </summary>
public readonly record struct SettingsUpdateResult
{
    private static readonly IReadOnlyList<SettingsError> NoErrors = [];

    private readonly IReadOnlyList<SettingsError>? _errors;

    private SettingsUpdateResult(bool succeeded, bool isDryRun, long changedAccounts, long version, IReadOnlyList<SettingsError> errors, ScheduledChange? scheduled = null)
    {
        Scheduled = scheduled;
        Succeeded = succeeded;
        IsDryRun = isDryRun;
        ChangedAccounts = changedAccounts;
        Version = version;
        _errors = errors;
    }

    /// <summary>Whether the update was accepted (or, in a dry run, would be): the one success flag, <see langword="false"/> for <c>default</c>.</summary>
    public bool Succeeded { get; }

    /// <summary>Whether this was a dry run: nothing was changed.</summary>
    public bool IsDryRun { get; }

    /// <summary>
    /// How many non-demo accounts' effective setting the update changed (or would change). Demo accounts are
    /// never counted: their answer is always "not required" (R1). Sub-users follow their accounts and are not counted.
    /// </summary>
    public long ChangedAccounts { get; }

    /// <summary>The tenant-wide version stamp the update was applied with; 0 for a dry run or a rejection.</summary>
    public long Version { get; }

    /// <summary>
    /// For an operation accepted for a later moment (S11), the pending change as stored (its <see cref="ScheduledChange.Id"/>
    /// cancels it); <see langword="null"/> for an operation applied at once. A scheduled operation changes no answer yet, so
    /// <see cref="ChangedAccounts"/> is 0.
    /// </summary>
    public ScheduledChange? Scheduled { get; }

    /// <summary>Every reason for a rejection, naming the offending ids; empty on success (and for <c>default</c>).</summary>
    public IReadOnlyList<SettingsError> Errors => _errors ?? NoErrors;

    /// <summary>
    /// Whether a store failed (<see cref="Failed"/>, the <c>default</c>): not <see cref="Succeeded"/> and no
    /// <see cref="Errors"/>. Nothing was changed; retry.
    /// </summary>
    public bool IsFailed => !Succeeded && Errors.Count == 0;

    /// <summary>Whether every error is a not-found one (Navixy's error 201) rather than invalid input (error 7).</summary>
    public bool IsNotFound => !Succeeded && Errors.Count > 0 && Errors.All(e => e.IsNotFound);

    /// <summary>A store failed; nothing was changed. The <c>default</c>.</summary>
    public static SettingsUpdateResult Failed => default;

    /// <summary>An accepted update.</summary>
    /// <param name="changedAccounts">Accounts whose effective setting changed.</param>
    /// <param name="version">The version stamp it was applied with.</param>
    public static SettingsUpdateResult Applied(long changedAccounts, long version) => new(true, false, changedAccounts, version, NoErrors);

    /// <summary>An operation accepted for a later moment (S11).</summary>
    /// <param name="change">The pending change as stored.</param>
    public static SettingsUpdateResult ScheduledFor(ScheduledChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new(true, false, 0, change.Id, NoErrors, change);
    }

    /// <summary>A dry run that would be accepted.</summary>
    /// <param name="changedAccounts">Accounts whose effective setting would change.</param>
    public static SettingsUpdateResult WouldApply(long changedAccounts) => new(true, true, changedAccounts, 0, NoErrors);

    /// <summary>A rejected update.</summary>
    /// <param name="errors">The reasons; at least one.</param>
    /// <param name="isDryRun">Whether the rejected call was a dry run.</param>
    public static SettingsUpdateResult Rejected(IReadOnlyList<SettingsError> errors, bool isDryRun = false)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("A rejection needs at least one error.", nameof(errors));
        }

        return new(false, isDryRun, 0, 0, [.. errors]);
    }

    /// <summary>Whether both answers say the same, errors included (in order).</summary>
    /// <param name="other">The other answer.</param>
    public bool Equals(SettingsUpdateResult other) =>
        Succeeded == other.Succeeded && IsDryRun == other.IsDryRun && ChangedAccounts == other.ChangedAccounts
        && Version == other.Version && Equals(Scheduled, other.Scheduled) && Errors.SequenceEqual(other.Errors);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Succeeded, IsDryRun, ChangedAccounts, Version, Errors.Count);

    /// <summary>Summarises the result, e.g. <c>Applied: 3 accounts changed</c>; <c>default</c> reads <c>Failed</c>.</summary>
    public override string ToString() => Succeeded
        ? Scheduled is { } change ? $"Scheduled: {change}" : $"{(IsDryRun ? "Would apply" : "Applied")}: {ChangedAccounts} accounts changed"
        : IsFailed ? "Failed" : "Rejected: " + string.Join(" ", Errors);
}
