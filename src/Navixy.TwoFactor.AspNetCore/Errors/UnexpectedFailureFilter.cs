using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Navixy.TwoFactor.AspNetCore.Wire;

namespace Navixy.TwoFactor.AspNetCore.Errors;

/// <summary>
/// On every mapped endpoint: anything unexpected (a store failure included) is answered as error 1, never with details and
/// never with a session; the exception is logged at error level.
/// </summary>
internal sealed partial class UnexpectedFailureFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILogger<UnexpectedFailureFilter>>();
            LogFailure(logger, context.HttpContext.Request.Path, exception);
            return NavixyError.DatabaseError().ToResult();
        }
    }

    [LoggerMessage(EventId = 140, Level = LogLevel.Error, Message = "The call {Path} failed; answered error 1")]
    internal static partial void LogFailure(ILogger logger, PathString path, Exception exception);
}
