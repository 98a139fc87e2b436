using System.Diagnostics;
using System.Diagnostics.Metrics;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Diagnostics;

/// <summary>
/// The instruments of the <see cref="TwoFactorTelemetry.MeterName"/> meter: one events counter tagged by kind, factor and
/// outcome, and one histogram of operation durations. Uses the host's <see cref="IMeterFactory"/> when one is registered
/// (so meters are scoped to the container), otherwise one process-wide meter.
/// </summary>
internal sealed class TwoFactorMetrics
{
    /// <summary>The library's activity source (activity sources have no factory: one per process).</summary>
    public static readonly ActivitySource ActivitySource = new(TwoFactorTelemetry.ActivitySourceName, typeof(TwoFactorMetrics).Assembly.GetName().Version?.ToString(3));

    private static readonly Lazy<Instruments> Shared = new(static () => new Instruments(new Meter(TwoFactorTelemetry.MeterName)));

    private readonly Instruments _instruments;

    public TwoFactorMetrics(IMeterFactory? meterFactory = null) =>
        _instruments = meterFactory is null ? Shared.Value : new Instruments(meterFactory.Create(new MeterOptions(TwoFactorTelemetry.MeterName)));

    /// <summary>Counts one audit event.</summary>
    public void Count(TwoFactorAuditEventKind kind, FactorTypes factor = FactorTypes.None)
    {
        if (!Enum.IsDefined(kind))
        {
            return;
        }

        var tags = new TagList
        {
            { TwoFactorTelemetry.EventTag, TwoFactorEventNames.Of(kind) },
            { TwoFactorTelemetry.OutcomeTag, TwoFactorEventNames.OutcomeOf(kind) },
        };
        if (factor.ToWireName() is { } name)
        {
            tags.Add(TwoFactorTelemetry.FactorTag, name);
        }

        _instruments.Events.Add(1, tags);
    }

    /// <summary>Records how long an operation took.</summary>
    public void RecordDuration(string operation, string outcome, FactorTypes factor, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { TwoFactorTelemetry.OperationTag, operation },
            { TwoFactorTelemetry.OutcomeTag, outcome },
        };
        if (factor.ToWireName() is { } name)
        {
            tags.Add(TwoFactorTelemetry.FactorTag, name);
        }

        _instruments.Duration.Record(elapsed.TotalSeconds, tags);
    }

    private sealed class Instruments(Meter meter)
    {
        public Counter<long> Events { get; } = meter.CreateCounter<long>(
            TwoFactorTelemetry.EventsInstrumentName, unit: "{event}", description: "Two-factor audit events, by kind, factor and outcome.");

        public Histogram<double> Duration { get; } = meter.CreateHistogram<double>(
            TwoFactorTelemetry.OperationDurationInstrumentName, unit: "s", description: "Duration of two-factor operations: start, verify, resend, settings updates.");
    }
}
