using Microsoft.Extensions.Options;

namespace Navixy.TwoFactor.Challenges;

/// <summary>Validates <see cref="TwoFactorOptions.Challenges"/> against the documented ranges.</summary>
internal sealed class ChallengeOptionsValidator : IValidateOptions<TwoFactorOptions>
{
    private static readonly TimeSpan MinCodeLifetime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxCodeLifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan MinCooldown = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxCooldown = TimeSpan.FromHours(1);
    private static readonly TimeSpan MinChallengeLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxChallengeLifetime = TimeSpan.FromHours(24);
    private static readonly TimeSpan MinLockout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxLockout = TimeSpan.FromDays(7);

    public ValidateOptionsResult Validate(string? name, TwoFactorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Challenges;
        var failures = new List<string>();

        Range(failures, nameof(o.CodeLength), o.CodeLength, ChallengeOptions.MinCodeLength, ChallengeOptions.MaxCodeLength);
        Range(failures, nameof(o.CodeLifetime), o.CodeLifetime, MinCodeLifetime, MaxCodeLifetime);
        Range(failures, nameof(o.ResendCooldown), o.ResendCooldown, MinCooldown, MaxCooldown);
        Range(failures, nameof(o.MaxAttempts), o.MaxAttempts, 1, 20);
        Range(failures, nameof(o.MaxSends), o.MaxSends, 1, 20);
        Range(failures, nameof(o.MaxOpenChallenges), o.MaxOpenChallenges, 1, 20);
        Range(failures, nameof(o.ChallengeLifetime), o.ChallengeLifetime, MinChallengeLifetime, MaxChallengeLifetime);
        Range(failures, nameof(o.PrincipalLockoutThreshold), o.PrincipalLockoutThreshold, 1, 50);
        Range(failures, nameof(o.PrincipalLockoutDuration), o.PrincipalLockoutDuration, MinLockout, MaxLockout);
        Range(failures, nameof(o.PrincipalMaxConsecutiveFailures), o.PrincipalMaxConsecutiveFailures, o.PrincipalLockoutThreshold, ChallengeOptions.MaxConsecutiveFailuresLimit);

        if (o.CodeLifetime > o.ChallengeLifetime)
        {
            failures.Add($"Challenges.{nameof(o.CodeLifetime)} ({o.CodeLifetime}) must not be longer than Challenges.{nameof(o.ChallengeLifetime)} ({o.ChallengeLifetime}).");
        }

        if (o.ResendCooldown >= o.ChallengeLifetime)
        {
            failures.Add($"Challenges.{nameof(o.ResendCooldown)} ({o.ResendCooldown}) must be shorter than Challenges.{nameof(o.ChallengeLifetime)} ({o.ChallengeLifetime}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range<T>(List<string> failures, string name, T value, T min, T max)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            failures.Add($"Challenges.{name} must be between {min} and {max}; it is {value}.");
        }
    }
}
