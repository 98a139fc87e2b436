using Microsoft.Extensions.Options;

namespace Navixy.TwoFactor;

/// <summary>
/// Options of the background purge (<c>TwoFactorBuilder.AddBackgroundPurge()</c>): how often it runs and how much one
/// statement deletes. Validated when the host starts.
/// </summary>
public sealed class TwoFactorPurgeOptions
{
    /// <summary>The shortest <see cref="Interval"/>: one second.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    /// <summary>The longest <see cref="Interval"/>: one day.</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(1);

    /// <summary>The largest <see cref="BatchSize"/>.</summary>
    public const int MaxBatchSize = 10_000;

    /// <summary>How long between two runs. Default 5 minutes; 1 second to 1 day.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How many rows one store call deletes at most (PostgreSQL: one short statement, skipping rows other sessions hold).
    /// A run repeats batches until one deletes fewer. Default 1,000; 1 to 10,000.
    /// </summary>
    public int BatchSize { get; set; } = 1_000;

    /// <summary>
    /// How many batches one run deletes at most of each kind (challenges, remembered devices, audit-trail entries), so a
    /// backlog is worked off over several runs rather than in one long burst. Default 100; at least 1.
    /// </summary>
    public int MaxBatchesPerRun { get; set; } = 100;
}

/// <summary>Validates <see cref="TwoFactorPurgeOptions"/>.</summary>
internal sealed class TwoFactorPurgeOptionsValidator : IValidateOptions<TwoFactorPurgeOptions>
{
    public ValidateOptionsResult Validate(string? name, TwoFactorPurgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Interval < TwoFactorPurgeOptions.MinInterval || options.Interval > TwoFactorPurgeOptions.MaxInterval)
        {
            failures.Add($"{nameof(TwoFactorPurgeOptions.Interval)} must be between {TwoFactorPurgeOptions.MinInterval} and {TwoFactorPurgeOptions.MaxInterval}; it is {options.Interval}.");
        }

        if (options.BatchSize is < 1 or > TwoFactorPurgeOptions.MaxBatchSize)
        {
            failures.Add($"{nameof(TwoFactorPurgeOptions.BatchSize)} must be between 1 and {TwoFactorPurgeOptions.MaxBatchSize}; it is {options.BatchSize}.");
        }

        if (options.MaxBatchesPerRun < 1)
        {
            failures.Add($"{nameof(TwoFactorPurgeOptions.MaxBatchesPerRun)} must be at least 1; it is {options.MaxBatchesPerRun}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
