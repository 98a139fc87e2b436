namespace Navixy.TwoFactor.Stores;

/// <summary>
/// Waits out <see cref="ChallengeStoreOutcome.Busy"/>: every attempt a challenge has left is reserved by an evaluation
/// still running, and its outcome decides this one's answer (a pass makes it <see cref="ChallengeStoreOutcome.Consumed"/>,
/// failures make it <see cref="ChallengeStoreOutcome.Locked"/>). Evaluations take milliseconds, so the wait is short; the
/// delays are real time, not the engine's clock, and decide nothing.
/// </summary>
internal static class BusyChallenge
{
    /// <summary>Delays between tries, in milliseconds; about 6 s in all before giving up.</summary>
    private static readonly int[] Backoff = [1, 2, 4, 8, 16, 32, 64, 100, 100, 100, 150, 150, 200, 200, 250, 250, 300, 300, 400, 400, 500, 500, 500, 500, 500];

    /// <summary>
    /// Runs <paramref name="operation"/> until it answers something other than busy; after the last try it answers busy,
    /// which the caller treats as a failure (fail closed).
    /// </summary>
    public static async ValueTask<ChallengeStoreResult> RunAsync(Func<CancellationToken, ValueTask<ChallengeStoreResult>> operation, CancellationToken cancellationToken)
    {
        var result = await operation(cancellationToken).ConfigureAwait(false);
        for (var i = 0; result.Outcome == ChallengeStoreOutcome.Busy && i < Backoff.Length; i++)
        {
            await Task.Delay(Backoff[i], cancellationToken).ConfigureAwait(false);
            result = await operation(cancellationToken).ConfigureAwait(false);
        }

        return result;
    }
}
