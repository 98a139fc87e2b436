using Microsoft.Extensions.Options;

namespace Navixy.TwoFactor.Totp;

/// <summary>Validates <see cref="TwoFactorOptions.Totp"/> against the documented ranges.</summary>
internal sealed class TotpOptionsValidator : IValidateOptions<TwoFactorOptions>
{
    private static readonly TimeSpan MinPendingLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxPendingLifetime = TimeSpan.FromHours(24);
    private static readonly TimeSpan MinStepUpLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxStepUpLifetime = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, TwoFactorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Totp;
        var failures = new List<string>();

        if (!Enum.IsDefined(o.Parameters.Algorithm))
        {
            failures.Add($"Totp.Parameters.Algorithm must be Sha1, Sha256 or Sha512; it is {(int)o.Parameters.Algorithm}.");
        }

        if (o.Parameters.Digits is not (6 or 8))
        {
            failures.Add($"Totp.Parameters.Digits must be 6 or 8; it is {o.Parameters.Digits}.");
        }

        Range(failures, "Parameters.PeriodSeconds", o.Parameters.PeriodSeconds, TotpOptions.MinPeriodSeconds, TotpOptions.MaxPeriodSeconds);
        Range(failures, nameof(o.StepsBack), o.StepsBack, 0, TotpOptions.MaxWindowSteps);
        Range(failures, nameof(o.StepsForward), o.StepsForward, 0, TotpOptions.MaxWindowSteps);
        Range(failures, nameof(o.PendingEnrollmentLifetime), o.PendingEnrollmentLifetime, MinPendingLifetime, MaxPendingLifetime);
        Range(failures, nameof(o.RecoveryCodeCount), o.RecoveryCodeCount, 1, TotpOptions.MaxRecoveryCodeCount);
        Range(failures, nameof(o.RecoveryCodeIterations), o.RecoveryCodeIterations, TotpOptions.MinRecoveryCodeIterations, TotpOptions.MaxRecoveryCodeIterations);
        Range(failures, nameof(o.StepUpLifetime), o.StepUpLifetime, MinStepUpLifetime, MaxStepUpLifetime);

        if (o.StepUpLifetime > options.Challenges.ChallengeLifetime)
        {
            failures.Add($"Totp.{nameof(o.StepUpLifetime)} ({o.StepUpLifetime}) must not be longer than Challenges.{nameof(options.Challenges.ChallengeLifetime)} ({options.Challenges.ChallengeLifetime}): a pass is kept only while its challenge lives.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range<T>(List<string> failures, string name, T value, T min, T max)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            failures.Add($"Totp.{name} must be between {min} and {max}; it is {value}.");
        }
    }
}
