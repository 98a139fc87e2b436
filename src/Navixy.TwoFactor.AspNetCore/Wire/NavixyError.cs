using Microsoft.AspNetCore.Http;

namespace Navixy.TwoFactor.AspNetCore.Wire;

/// <summary>A failed call as it goes on the wire: a Navixy status code and a description for people.</summary>
/// <param name="Code">The status code clients act on.</param>
/// <param name="Description">What went wrong, naming the parameter or id; never a secret.</param>
public sealed record NavixyError(NavixyErrorCode Code, string Description)
{
    /// <summary>The description of error 1, the answer to anything unexpected: never with details.</summary>
    public const string DatabaseErrorDescription = "Database error.";

    /// <summary>
    /// When to try again, for a lockout (105) or a call that came too soon (15): written as the <c>Retry-After</c> header
    /// (whole seconds, rounded up) besides the description; <see langword="null"/> for no header.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// The HTTP status, when it is not the code's own (<see cref="NavixyErrorCodeExtensions.HttpStatus"/>): 413 for a body
    /// over the limit. <see langword="null"/>: the code's own.
    /// </summary>
    public int? StatusOverride { get; init; }

    /// <summary>The HTTP status the error travels with.</summary>
    public int HttpStatus => StatusOverride ?? Code.HttpStatus();

    /// <summary>Error 1, for any unexpected failure (a store failure included).</summary>
    public static NavixyError DatabaseError() => new(NavixyErrorCode.DatabaseError, DatabaseErrorDescription);

    /// <summary>Error 5 for a parameter of the wrong JSON kind.</summary>
    /// <param name="path">The parameter, e.g. <c>settings.factor_types</c>.</param>
    /// <param name="expected">What it should be, e.g. <c>an array</c>.</param>
    public static NavixyError WrongKind(string path, string expected) =>
        new(NavixyErrorCode.WrongRequestFormat, $"Wrong request format: {path} must be {expected}.");

    /// <summary>Error 7 for a missing parameter.</summary>
    /// <param name="path">The parameter.</param>
    public static NavixyError Missing(string path) =>
        new(NavixyErrorCode.InvalidParameters, $"Invalid parameters: {path} is required.");

    /// <summary>Error 7 for a parameter whose value is not acceptable.</summary>
    /// <param name="problem">A sentence naming the parameter and the problem.</param>
    public static NavixyError Invalid(string problem) =>
        new(NavixyErrorCode.InvalidParameters, "Invalid parameters: " + problem);

    /// <summary>
    /// The result to return from an endpoint: Navixy's <c>{"success": false, "status": {...}}</c>, or RFC 9457 problem
    /// details when <see cref="TwoFactorHttpOptions.ErrorFormat"/> says so.
    /// </summary>
    public IResult ToResult() => new NavixyErrorResult(this);
}
