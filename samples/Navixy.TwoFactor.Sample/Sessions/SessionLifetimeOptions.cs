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

    /// <summary>
    /// A restricted (second factor pending) session. Default 15 minutes, the most a challenge lives with its
    /// resends; range 1 to 60 minutes.
    /// </summary>
    public TimeSpan PendingLifetime { get; set; } = TimeSpan.FromMinutes(15);
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
        Check(failures, nameof(options.PendingLifetime), options.PendingLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(60));
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
