using System.Diagnostics;
using Navixy.TwoFactor.Diagnostics;

namespace Navixy.TwoFactor.Stores.Tracing;

/// <summary>The span of one store call, named <c>navixy.twofactor.store</c> and the call (e.g. <c>challenge.verify</c>).</summary>
internal static class StoreSpan
{
    /// <summary>Whether anyone listens; without a listener the decorators call the store directly, adding nothing.</summary>
    public static bool Enabled => TwoFactorMetrics.ActivitySource.HasListeners();

    public static Activity? Start(string call)
    {
        var span = TwoFactorMetrics.ActivitySource.StartActivity(TwoFactorTelemetry.StoreSpanName + " " + call, ActivityKind.Internal);
        span?.SetTag(TwoFactorTelemetry.StoreOperationTag, call);
        return span;
    }

    /// <summary>Marks the span failed; always <see langword="false"/>, so an exception filter lets the exception pass.</summary>
    public static bool Failed(Activity? span, Exception exception)
    {
        if (span is not null)
        {
            span.SetStatus(ActivityStatusCode.Error);
            span.SetTag("error.type", exception.GetType().FullName);
        }

        return false;
    }

    /// <summary>Runs one store call inside its span, marking the span failed when the call throws.</summary>
    public static async ValueTask<T> TraceAsync<T>(string call, Func<ValueTask<T>> operation)
    {
        using var span = Start(call);
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception exception) when (Failed(span, exception))
        {
            throw;
        }
    }

    /// <summary>Runs one store call that answers nothing inside its span, marking the span failed when the call throws.</summary>
    public static async ValueTask TraceAsync(string call, Func<ValueTask> operation)
    {
        using var span = Start(call);
        try
        {
            await operation().ConfigureAwait(false);
        }
        catch (Exception exception) when (Failed(span, exception))
        {
            throw;
        }
    }
}
