namespace Navixy.TwoFactor.Sample.Wire;

/// <summary>A failed call as it goes on the wire: a Navixy status code and a description for people.</summary>
/// <param name="Code">The status code clients act on.</param>
/// <param name="Description">What went wrong, naming the parameter or id; never a secret.</param>
internal sealed record WireError(ErrorCode Code, string Description)
{
    /// <summary>
    /// When to try again, for a lockout (105) or a call that came too soon (15): written as the <c>Retry-After</c> header
    /// (whole seconds) besides the description; <see langword="null"/> for no header.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Error 5 for a parameter of the wrong JSON kind.</summary>
    /// <param name="path">The parameter, e.g. <c>settings.factor_types</c>.</param>
    /// <param name="expected">What it should be, e.g. <c>an array</c>.</param>
    public static WireError WrongKind(string path, string expected) =>
        new(ErrorCode.WrongRequestFormat, $"Wrong request format: {path} must be {expected}.");

    /// <summary>Error 7 for a missing parameter.</summary>
    /// <param name="path">The parameter.</param>
    public static WireError Missing(string path) =>
        new(ErrorCode.InvalidParameters, $"Invalid parameters: {path} is required.");

    /// <summary>Error 7 for a parameter whose value is not acceptable.</summary>
    /// <param name="problem">A sentence naming the parameter and the problem.</param>
    public static WireError Invalid(string problem) =>
        new(ErrorCode.InvalidParameters, "Invalid parameters: " + problem);

    /// <summary>The result to return from an endpoint.</summary>
    public IResult ToResult() => WireResults.Error(this);
}
