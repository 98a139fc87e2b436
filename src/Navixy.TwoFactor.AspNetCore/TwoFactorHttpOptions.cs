using Microsoft.Extensions.Options;

namespace Navixy.TwoFactor.AspNetCore;

/// <summary>How errors are written.</summary>
public enum TwoFactorErrorFormat
{
    /// <summary>Navixy's <c>{"success": false, "status": {"code": N, "description": "..."}}</c> (the default).</summary>
    Navixy = 0,

    /// <summary>RFC 9457 problem details (<c>application/problem+json</c>) with the Navixy code as the <c>code</c> extension.</summary>
    ProblemDetails = 1,
}

/// <summary>The HTTP surface's options. Bound by <c>AddAspNetCore(...)</c>; validated at start-up.</summary>
public sealed class TwoFactorHttpOptions
{
    /// <summary>The default of <see cref="MaxBodyBytes"/>: 1 MiB.</summary>
    public const long DefaultMaxBodyBytes = 1024 * 1024;

    /// <summary>
    /// Put before every route of the mapped endpoints, e.g. <c>/v2</c> (then <c>/v2/user/auth</c>). Default empty; when
    /// set it starts with <c>/</c> and does not end with one.
    /// </summary>
    public string RoutePrefix { get; set; } = string.Empty;

    /// <summary>How errors are written. Default <see cref="TwoFactorErrorFormat.Navixy"/>.</summary>
    public TwoFactorErrorFormat ErrorFormat { get; set; } = TwoFactorErrorFormat.Navixy;

    /// <summary>The largest request body read; larger ones answer HTTP 413 naming the limit. Default 1 MiB; range 1 KiB to 16 MiB.</summary>
    public long MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    /// <summary>
    /// How long a restricted pending-step handle (and a step-up not yet redeemed) lives. Default 15 minutes, the most a
    /// challenge lives with its resends; range 1 to 60 minutes.
    /// </summary>
    public TimeSpan PendingLifetime { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>Validates <see cref="TwoFactorHttpOptions"/> at start-up.</summary>
internal sealed class TwoFactorHttpOptionsValidator : IValidateOptions<TwoFactorHttpOptions>
{
    public ValidateOptionsResult Validate(string? name, TwoFactorHttpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var prefix = options.RoutePrefix ?? string.Empty;
        if (prefix.Length > 0 && (!prefix.StartsWith('/') || prefix.EndsWith('/') || prefix.Contains('{', StringComparison.Ordinal)))
        {
            failures.Add($"RoutePrefix must be empty or start with '/' and not end with one, without route parameters; it is \"{prefix}\".");
        }

        if (options.MaxBodyBytes is < 1024 or > 16 * 1024 * 1024)
        {
            failures.Add($"MaxBodyBytes must be between 1024 and 16777216; it is {options.MaxBodyBytes}.");
        }

        if (options.PendingLifetime < TimeSpan.FromMinutes(1) || options.PendingLifetime > TimeSpan.FromMinutes(60))
        {
            failures.Add($"PendingLifetime must be between 00:01:00 and 01:00:00; it is {options.PendingLifetime}.");
        }

        if (!Enum.IsDefined(options.ErrorFormat))
        {
            failures.Add($"ErrorFormat must be Navixy or ProblemDetails; it is {options.ErrorFormat}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
