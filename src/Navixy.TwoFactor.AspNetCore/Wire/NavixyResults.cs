using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Navixy.TwoFactor.AspNetCore.Wire;

/// <summary>
/// Writes answers in Navixy's shape: <c>{"success": true, ...}</c>, or an error (<see cref="NavixyError.ToResult"/>).
/// </summary>
public static class NavixyResults
{
    /// <summary><c>{"success": true}</c>.</summary>
    public static IResult Success() => Results.Json(new NavixySuccess(), NavixyJson.Options);

    /// <summary>A success response; <paramref name="response"/> is a record deriving from <see cref="NavixySuccess"/>, written snake_case.</summary>
    /// <typeparam name="TResponse">The response record.</typeparam>
    /// <param name="response">The response body.</param>
    public static IResult Success<TResponse>(TResponse response)
        where TResponse : NavixySuccess =>
        Results.Json(response, NavixyJson.Options);
}

/// <summary>The base of every success body: <c>{"success": true}</c>.</summary>
public record NavixySuccess
{
    /// <summary>Always <see langword="true"/>; written first.</summary>
    [JsonPropertyOrder(-1)]
    public bool Success { get; } = true;
}

/// <summary>Writes a <see cref="NavixyError"/> in the format the options choose, with <c>Retry-After</c> when it says when to retry.</summary>
internal sealed partial class NavixyErrorResult(NavixyError error) : IResult, IStatusCodeHttpResult
{
    public NavixyError Error { get; } = error;

    public int? StatusCode => Error.HttpStatus;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (Error.RetryAfter is { } retryAfter)
        {
            var seconds = Math.Max(0, (long)Math.Ceiling(retryAfter.TotalSeconds));
            httpContext.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        // A client's mistake is routine: below error level. Failures are logged where they happen, with the exception.
        var logger = httpContext.RequestServices.GetService<ILogger<NavixyErrorResult>>();
        if (logger is not null)
        {
            if (Error.HttpStatus >= StatusCodes.Status500InternalServerError)
            {
                LogServerError(logger, httpContext.Request.Path, (int)Error.Code);
            }
            else
            {
                LogClientMistake(logger, httpContext.Request.Path, (int)Error.Code, Error.HttpStatus);
            }
        }

        var format = httpContext.RequestServices.GetService<IOptions<TwoFactorHttpOptions>>()?.Value.ErrorFormat ?? TwoFactorErrorFormat.Navixy;
        return format == TwoFactorErrorFormat.ProblemDetails
            ? Results.Problem(
                detail: Error.Description,
                statusCode: Error.HttpStatus,
                title: Error.Code.ToString(),
                type: string.Create(CultureInfo.InvariantCulture, $"urn:navixy:error:{(int)Error.Code}"),
                extensions: new Dictionary<string, object?> { ["code"] = (int)Error.Code }).ExecuteAsync(httpContext)
            : Results.Json(
                new NavixyFailure(new NavixyFailureStatus((int)Error.Code, Error.Description)),
                NavixyJson.Options,
                statusCode: Error.HttpStatus).ExecuteAsync(httpContext);
    }

    [LoggerMessage(EventId = 150, Level = LogLevel.Debug, Message = "{Path} answered error {Code} (HTTP {Status})")]
    private static partial void LogClientMistake(ILogger logger, PathString path, int code, int status);

    [LoggerMessage(EventId = 151, Level = LogLevel.Warning, Message = "{Path} answered error {Code}")]
    private static partial void LogServerError(ILogger logger, PathString path, int code);
}

/// <summary>The body of every Navixy failure.</summary>
/// <param name="Status">The code and description.</param>
internal sealed record NavixyFailure(NavixyFailureStatus Status)
{
    /// <summary>Always <see langword="false"/>; written first.</summary>
    [JsonPropertyOrder(-1)]
    public bool Success { get; }
}

/// <summary>The <c>status</c> object of a failure.</summary>
/// <param name="Code">The Navixy status code.</param>
/// <param name="Description">For people; clients act on the code.</param>
internal sealed record NavixyFailureStatus(int Code, string Description);
