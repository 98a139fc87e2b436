using System.Diagnostics;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Diagnostics;

/// <summary>
/// One traced operation: its span (when anyone listens to <see cref="TwoFactorTelemetry.ActivitySourceName"/>) and its
/// duration. Start it inside the async method it measures, so the span is current only for that method's work.
/// </summary>
internal sealed class TwoFactorOperation : IDisposable
{
    private readonly TwoFactorMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly string _operation;
    private readonly long _started;
    private readonly Activity? _activity;
    private bool _completed;

    private TwoFactorOperation(TwoFactorMetrics metrics, TimeProvider time, string operation, string spanName, TenantId tenant)
    {
        _metrics = metrics;
        _time = time;
        _operation = operation;
        _started = time.GetTimestamp();
        _activity = TwoFactorMetrics.ActivitySource.StartActivity(spanName, ActivityKind.Internal);
        if (_activity is { IsAllDataRequested: true })
        {
            _activity.SetTag(TwoFactorTelemetry.OperationTag, operation);
            _activity.SetTag(TwoFactorTelemetry.TenantTag, tenant.Value);
        }
    }

    /// <summary>Starts an operation: <paramref name="operation"/> is the value of <see cref="TwoFactorTelemetry.OperationTag"/>.</summary>
    public static TwoFactorOperation Start(TwoFactorMetrics metrics, TimeProvider time, string operation, string spanName, TenantId tenant) =>
        new(metrics, time, operation, spanName, tenant);

    /// <summary>The operation's span, when sampled.</summary>
    public Activity? Activity => _activity;

    /// <summary>Ends the operation with an outcome (snake case) and, when known, the factor.</summary>
    public void Complete(string outcome, FactorTypes factor = FactorTypes.None, bool isError = false)
    {
        _completed = true;
        _metrics.RecordDuration(_operation, outcome, factor, _time.GetElapsedTime(_started));
        if (_activity is null)
        {
            return;
        }

        _activity.SetTag(TwoFactorTelemetry.OutcomeTag, outcome);
        if (factor.ToWireName() is { } name)
        {
            _activity.SetTag(TwoFactorTelemetry.FactorTag, name);
        }

        if (isError)
        {
            _activity.SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>Ends an operation that threw: outcome <c>error</c>, with OpenTelemetry's <c>error.type</c>.</summary>
    public void Fail(Exception exception)
    {
        Complete(TwoFactorEventNames.Error, isError: true);
        _activity?.SetTag("error.type", exception.GetType().FullName);
    }

    public void Dispose()
    {
        if (!_completed)
        {
            Complete(TwoFactorEventNames.Error, isError: true);
        }

        _activity?.Dispose();
    }
}

/// <summary>Snake-case tag values of an enum's members, computed once.</summary>
/// <typeparam name="TEnum">The enum.</typeparam>
internal static class SnakeCaseNames<TEnum>
    where TEnum : struct, Enum
{
    private static readonly Dictionary<TEnum, string> Names = Enum.GetValues<TEnum>().Distinct().ToDictionary(static v => v, static v => ToSnakeCase(v.ToString()));

    public static string Of(TEnum value) => Names.TryGetValue(value, out var name) ? name : "unknown";

    private static string ToSnakeCase(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
