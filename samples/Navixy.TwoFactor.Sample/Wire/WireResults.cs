using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.Net.Http.Headers;

namespace Navixy.TwoFactor.Sample.Wire;

/// <summary>
/// Writes answers in Navixy's shape: <c>{"success": true, ...}</c>, or
/// <c>{"success": false, "status": {"code": N, "description": "..."}}</c> with the code's HTTP status.
/// </summary>
internal static class WireResults
{
    /// <summary><c>{"success": true}</c>.</summary>
    public static IResult Success() => Results.Json(new SuccessResponse(), WireJson.Options);

    /// <summary>A success response; <paramref name="response"/> is a record deriving from <see cref="SuccessResponse"/>.</summary>
    /// <param name="response">The response body.</param>
    public static IResult Success<TResponse>(TResponse response)
        where TResponse : SuccessResponse =>
        Results.Json(response, WireJson.Options);

    /// <summary>A failure with the code's HTTP status (and <c>Retry-After</c> when the error says when to retry).</summary>
    /// <param name="error">The code and description.</param>
    public static IResult Error(WireError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var result = Results.Json(
            new FailureResponse(new FailureStatus((int)error.Code, error.Description)),
            WireJson.Options,
            statusCode: error.Code.HttpStatus());
        return error.RetryAfter is { } retryAfter ? new RetryAfterResult(result, retryAfter) : result;
    }

    /// <summary>A failure with the code's HTTP status.</summary>
    /// <param name="code">The status code.</param>
    /// <param name="description">What went wrong.</param>
    public static IResult Error(ErrorCode code, string description) => Error(new WireError(code, description));
}

/// <summary>A failure that also tells when to retry, in whole seconds (rounded up).</summary>
internal sealed class RetryAfterResult(IResult inner, TimeSpan retryAfter) : IResult
{
    /// <inheritdoc/>
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var seconds = Math.Max(0, (long)Math.Ceiling(retryAfter.TotalSeconds));
        httpContext.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        return inner.ExecuteAsync(httpContext);
    }
}

/// <summary>The base of every success body: <c>{"success": true}</c>.</summary>
internal record SuccessResponse
{
    /// <summary>Always <see langword="true"/>; written first.</summary>
    [JsonPropertyOrder(-1)]
    public bool Success { get; } = true;
}

/// <summary>The body of every failure.</summary>
/// <param name="Status">The code and description.</param>
internal sealed record FailureResponse(FailureStatus Status)
{
    /// <summary>Always <see langword="false"/>; written first.</summary>
    [JsonPropertyOrder(-1)]
    public bool Success { get; }
}

/// <summary>The <c>status</c> object of a failure.</summary>
/// <param name="Code">The Navixy status code.</param>
/// <param name="Description">For people; clients act on the code.</param>
internal sealed record FailureStatus(int Code, string Description);
