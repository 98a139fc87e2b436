using System.Diagnostics;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests;

/// <summary>
/// Counts the commands and batches a data source executes, each of which is one round trip to the server (Npgsql
/// pipelines a batch's statements behind one Sync, so they also run in one implicit transaction), and the SQL
/// statements they carry. Observed through Npgsql's own tracing hooks, so it counts what Npgsql sends, not what
/// the store means to send.
/// </summary>
public sealed class RoundTripCounter
{
    // Npgsql consults the tracing filters only while someone listens to its activity source.
    private static readonly ActivityListener Listener = StartListening();

    private long _roundTrips;
    private long _statements;

    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    public long Statements => Interlocked.Read(ref _statements);

    public void Observe(NpgsqlDataSourceBuilder builder)
    {
        GC.KeepAlive(Listener);
        builder.ConfigureTracing(tracing => tracing
            .EnablePhysicalOpenTracing(false)
            .EnableFirstResponseEvent(false)
            .ConfigureCommandFilter(_ => Counted(1))
            .ConfigureBatchFilter(batch => Counted(batch.BatchCommands.Count)));
    }

    /// <summary>Runs <paramref name="operation"/> and answers how many round trips and statements it took.</summary>
    public async Task<(long RoundTrips, long Statements)> CountAsync(Func<Task> operation)
    {
        var (roundTrips, statements) = (RoundTrips, Statements);
        await operation();
        return (RoundTrips - roundTrips, Statements - statements);
    }

    private bool Counted(int statements)
    {
        Interlocked.Increment(ref _roundTrips);
        Interlocked.Add(ref _statements, statements);
        return false;
    }

    private static ActivityListener StartListening()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
