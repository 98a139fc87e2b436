using Microsoft.Extensions.Options;

namespace Navixy.TwoFactor.Sample.Credentials;

/// <summary>The sample's own password check. Configuration section <c>Sample:Credentials</c>.</summary>
internal sealed class CredentialOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Sample:Credentials";

    /// <summary>The lowest accepted <see cref="PasswordIterations"/>.</summary>
    public const int MinPasswordIterations = 100_000;

    /// <summary>The highest accepted <see cref="PasswordIterations"/>.</summary>
    public const int MaxPasswordIterations = 10_000_000;

    /// <summary>
    /// PBKDF2-HMAC-SHA256 iterations for new password hashes. Default 600,000 (OWASP's figure for this
    /// algorithm); range 100,000 to 10,000,000. Existing hashes keep the count they were made with.
    /// </summary>
    public int PasswordIterations { get; set; } = 600_000;

    /// <summary>
    /// Wrong passwords in a row after which a login is refused with error 105, right password or not.
    /// Default 5; range 1 to 100.
    /// </summary>
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>
    /// How long a login stays refused once <see cref="MaxFailedLogins"/> is reached, and how long failures are
    /// remembered. Default 15 minutes; range 1 second to 1 day.
    /// </summary>
    public TimeSpan LockoutPeriod { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>Validates <see cref="CredentialOptions"/> at start-up.</summary>
internal sealed class CredentialOptionsValidator : IValidateOptions<CredentialOptions>
{
    public ValidateOptionsResult Validate(string? name, CredentialOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.PasswordIterations is < CredentialOptions.MinPasswordIterations or > CredentialOptions.MaxPasswordIterations)
        {
            failures.Add($"{CredentialOptions.Section}:{nameof(options.PasswordIterations)} must be between {CredentialOptions.MinPasswordIterations} and {CredentialOptions.MaxPasswordIterations}; it is {options.PasswordIterations}.");
        }

        if (options.MaxFailedLogins is < 1 or > 100)
        {
            failures.Add($"{CredentialOptions.Section}:{nameof(options.MaxFailedLogins)} must be between 1 and 100; it is {options.MaxFailedLogins}.");
        }

        if (options.LockoutPeriod < TimeSpan.FromSeconds(1) || options.LockoutPeriod > TimeSpan.FromDays(1))
        {
            failures.Add($"{CredentialOptions.Section}:{nameof(options.LockoutPeriod)} must be between 00:00:01 and 1.00:00:00; it is {options.LockoutPeriod}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
