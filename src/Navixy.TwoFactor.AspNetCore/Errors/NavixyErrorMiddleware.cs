using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Navixy.TwoFactor.AspNetCore.Wire;

namespace Navixy.TwoFactor.AspNetCore.Errors;

/// <summary>
/// Answers what no endpoint answers, under <see cref="TwoFactorHttpOptions.RoutePrefix"/>, in Navixy's format: an unknown
/// action (HTTP 404, code 111), a wrong method (HTTP 405, code 112, with <c>Allow</c>), a body that is not JSON (HTTP 415
/// from routing, answered as error 5), and an unexpected failure (error
/// 1, logged at error level; client mistakes are logged at debug level only).
/// </summary>
internal sealed class NavixyErrorMiddleware(RequestDelegate next, IOptions<TwoFactorHttpOptions> options, ILogger<NavixyErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var prefix = options.Value.RoutePrefix ?? string.Empty;
        if (prefix.Length > 0 && !context.Request.Path.StartsWithSegments(prefix, StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            UnexpectedFailureFilter.LogFailure(logger, context.Request.Path, exception);
            context.Response.Clear();
            await NavixyError.DatabaseError().ToResult().ExecuteAsync(context);
            return;
        }

        if (context.Response.HasStarted || context.Response.ContentLength is not null || context.Response.ContentType is not null)
        {
            return;
        }

        var action = context.Request.Path.Value?.TrimStart('/') ?? string.Empty;
        NavixyError? error = context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound when context.GetEndpoint() is null =>
                new(NavixyErrorCode.WrongHandler, $"Wrong handler: there is no action {NavixyRequest.Quote(action)}."),
            StatusCodes.Status415UnsupportedMediaType =>
                new(NavixyErrorCode.WrongRequestFormat, "Wrong request format: the body must be JSON (Content-Type: application/json)."),
            StatusCodes.Status405MethodNotAllowed =>
                new(NavixyErrorCode.WrongMethod, $"Wrong method: {NavixyRequest.Quote(action)} takes POST with a JSON body."),
            _ => null,
        };
        if (error is not null)
        {
            if (error.Code == NavixyErrorCode.WrongMethod)
            {
                context.Response.Headers[HeaderNames.Allow] = "POST";
            }

            await error.ToResult().ExecuteAsync(context);
        }
    }
}
