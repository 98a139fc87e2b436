using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Stores.AuditTrail;

namespace Navixy.TwoFactor.Stores.Purge;

/// <summary>
/// Deletes ended state on a timer (<see cref="TwoFactorPurgeOptions.Interval"/>, on the engine's <see cref="TimeProvider"/>):
/// challenges whose lifetime is over, which includes spent step-up proofs (a passed challenge is redeemable only while it
/// lives), and audit-trail entries older than <c>TwoFactorOptions.AuditTrail.Retention</c> (policy.md A3). Each run deletes
/// challenges in batches of <see cref="TwoFactorPurgeOptions.BatchSize"/> until a batch deletes fewer, at
/// most <see cref="TwoFactorPurgeOptions.MaxBatchesPerRun"/>. A failing run is logged and the next tick tries again; any
/// number of nodes may run it.
/// </summary>
internal sealed partial class TwoFactorPurgeService(
    IChallengeStore challenges,
    IAuditTrailStore trail,
    TimeProvider time,
    IOptions<TwoFactorPurgeOptions> options,
    IOptions<TwoFactorOptions> engineOptions,
    ILoggerFactory? loggerFactory = null) : BackgroundService
{
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(TwoFactorLog.Category);

    /// <summary>Rows deleted by every run so far (for tests and diagnostics).</summary>
    public long TotalPurged => Interlocked.Read(ref _purged);

    /// <summary>Runs completed so far, failed ones included.</summary>
    public long Runs => Interlocked.Read(ref _runs);

    private long _purged;
    private long _runs;

    /// <summary>One run: batches until one deletes fewer than the batch size, or the run's batch limit.</summary>
    public async Task<int> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var total = 0;
        for (var batch = 0; batch < settings.MaxBatchesPerRun; batch++)
        {
            var deleted = await challenges.PurgeExpiredAsync(time.GetUtcNow(), settings.BatchSize, cancellationToken).ConfigureAwait(false);
            total += deleted;
            if (deleted < settings.BatchSize)
            {
                break;
            }

            await Task.Yield(); // let other work of this process in between batches
        }

        var pastRetention = await trail.PurgeAsync(time.GetUtcNow() - engineOptions.Value.AuditTrail.Retention, cancellationToken).ConfigureAwait(false);
        return total + (int)Math.Min(pastRetention, int.MaxValue - total);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var deleted = await PurgeOnceAsync(stoppingToken).ConfigureAwait(false);
                Interlocked.Add(ref _purged, deleted);
                if (deleted > 0)
                {
                    LogPurged(_logger, deleted);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed run (database down) must not stop the service: the next tick tries again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogPurgeFailed(_logger, exception.GetType().FullName ?? exception.GetType().Name);
            }
            finally
            {
                Interlocked.Increment(ref _runs);
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "Purged {Count} ended two-factor challenges and audit-trail entries past retention")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "The two-factor purge failed with {ExceptionType}; the next run tries again")]
    private static partial void LogPurgeFailed(ILogger logger, string exceptionType);
}
