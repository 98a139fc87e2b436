using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Stores.AuditTrail;
using Navixy.TwoFactor.Stores.Devices;

namespace Navixy.TwoFactor.Stores.Purge;

/// <summary>
/// Deletes ended state on a timer (<see cref="TwoFactorPurgeOptions.Interval"/>, on the engine's <see cref="TimeProvider"/>):
/// challenges whose lifetime is over, which includes spent step-up proofs (a passed challenge is redeemable only while it
/// lives), remembered devices expired by their tenant's remember period (policy.md D2), and audit-trail entries older than
/// <c>TwoFactorOptions.AuditTrail.Retention</c> (policy.md A3). Each target is deleted in batches of
/// <see cref="TwoFactorPurgeOptions.BatchSize"/> until a batch deletes fewer, at most
/// <see cref="TwoFactorPurgeOptions.MaxBatchesPerRun"/> per target and run. A failing run is logged and the next tick tries
/// again; any number of nodes may run it.
/// </summary>
internal sealed partial class TwoFactorPurgeService(
    IChallengeStore challenges,
    IRememberedDeviceStore devices,
    IAuditTrailStore trail,
    TimeProvider time,
    IOptions<TwoFactorPurgeOptions> options,
    IOptions<TwoFactorOptions> engineOptions,
    ILoggerFactory? loggerFactory = null) : BackgroundService
{
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(TwoFactorLog.Category);

    private long _challenges;
    private long _devices;
    private long _auditEntries;
    private long _runs;
    private long _failures;

    /// <summary>Rows deleted by every run so far, all targets (for tests and diagnostics).</summary>
    public long TotalPurged => PurgedChallenges + PurgedDevices + PurgedAuditEntries;

    /// <summary>Ended challenges deleted by every run so far.</summary>
    public long PurgedChallenges => Interlocked.Read(ref _challenges);

    /// <summary>Expired remembered devices deleted by every run so far.</summary>
    public long PurgedDevices => Interlocked.Read(ref _devices);

    /// <summary>Audit-trail entries past retention deleted by every run so far.</summary>
    public long PurgedAuditEntries => Interlocked.Read(ref _auditEntries);

    /// <summary>Targets whose purge failed, over every run so far (each is logged).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Runs completed so far, failed ones included.</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>One run: each target in batches until one deletes fewer than the batch size, or the run's batch limit.</summary>
    public async Task<PurgeRun> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var retention = engineOptions.Value.AuditTrail.Retention;
        var run = new PurgeRun(
            await TargetAsync("challenges", batch => challenges.PurgeExpiredAsync(time.GetUtcNow(), batch, cancellationToken), cancellationToken).ConfigureAwait(false),
            await TargetAsync("remembered devices", batch => devices.PurgeExpiredAsync(time.GetUtcNow(), batch, cancellationToken), cancellationToken).ConfigureAwait(false),
            await TargetAsync("audit trail", batch => trail.PurgeAsync(time.GetUtcNow() - retention, batch, cancellationToken), cancellationToken).ConfigureAwait(false));
        Interlocked.Add(ref _challenges, run.Challenges);
        Interlocked.Add(ref _devices, run.Devices);
        Interlocked.Add(ref _auditEntries, run.AuditEntries);
        return run;
    }

    /// <summary>
    /// One target's batches until one deletes fewer than the batch size, or the run's limit. A failing target (a store
    /// down) is logged and counted as what it deleted before; the other targets still run.
    /// </summary>
    private async Task<long> TargetAsync(string target, Func<int, ValueTask<int>> purgeBatch, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        long total = 0;
        try
        {
            for (var batch = 0; batch < settings.MaxBatchesPerRun; batch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var deleted = await purgeBatch(settings.BatchSize).ConfigureAwait(false);
                total += deleted;
                if (deleted < settings.BatchSize)
                {
                    break;
                }

                await Task.Yield(); // let other work of this process in between batches
            }
        }
#pragma warning disable CA1031 // A failed target (database down) must not stop the others or the service: the next run tries again.
        catch (Exception exception) when (TwoFactorAudit.IsStoreFailure(exception, cancellationToken))
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _failures);
            LogPurgeFailed(_logger, target, exception.GetType().FullName ?? exception.GetType().Name);
        }

        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var run = await PurgeOnceAsync(stoppingToken).ConfigureAwait(false);
                if (run.Total > 0)
                {
                    LogPurged(_logger, run.Challenges, run.Devices, run.AuditEntries);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
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

    [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "Purged {Challenges} ended two-factor challenges, {Devices} expired remembered devices and {AuditEntries} audit-trail entries past retention")]
    private static partial void LogPurged(ILogger logger, long challenges, long devices, long auditEntries);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "The two-factor purge of {Target} failed with {ExceptionType}; the other targets ran, and the next run tries again")]
    private static partial void LogPurgeFailed(ILogger logger, string target, string exceptionType);
}

/// <summary>What one purge run deleted, per target.</summary>
/// <param name="Challenges">Ended challenges (spent step-up proofs among them).</param>
/// <param name="Devices">Remembered devices expired by their tenant's remember period.</param>
/// <param name="AuditEntries">Audit-trail entries past the retention.</param>
internal readonly record struct PurgeRun(long Challenges, long Devices, long AuditEntries)
{
    /// <summary>Rows deleted in all.</summary>
    public long Total => Challenges + Devices + AuditEntries;
}
