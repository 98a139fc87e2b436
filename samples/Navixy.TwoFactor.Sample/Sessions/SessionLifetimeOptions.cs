using Microsoft.Extensions.Options;

namespace Navixy.TwoFactor.Sample.Sessions;

/// <summary>How long sessions last. Configuration section <c>Sample:Sessions</c>.</summary>
internal sealed class SessionLifetimeOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Sample:Sessions";

    /// <summary>An Admin Panel session. Default 8 hours; range 1 minute to 7 days.</summary>
    public TimeSpan PanelLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A full user session. Default 24 hours; range 1 minute to 30 days.</summary>
    public TimeSpan UserLifetime { get; set; } = TimeSpan.FromHours(24);

    // Sample:Sessions:PendingLifetime (a restricted session, default 15 minutes) binds to the package's
    // TwoFactorHttpOptions.PendingLifetime, which validates it.
}

/// <summary>Validates <see cref="SessionLifetimeOptions"/> at start-up.</summary>
internal sealed class SessionLifetimeOptionsValidator : IValidateOptions<SessionLifetimeOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionLifetimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Check(failures, nameof(options.PanelLifetime), options.PanelLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
        Check(failures, nameof(options.UserLifetime), options.UserLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{SessionLifetimeOptions.Section}:{name} must be between {min} and {max}; it is {value}.");
        }
    }
}
