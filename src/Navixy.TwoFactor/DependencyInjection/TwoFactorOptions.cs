using Microsoft.Extensions.Options;

namespace Navixy.TwoFactor;

/// <summary>Options of the policy engine. Validated when the host starts (<c>ValidateOnStart</c>).</summary>
public sealed class TwoFactorOptions
{
    /// <summary>The lowest value of <see cref="MaxIdsPerUpdate"/>.</summary>
    public const int MinIdsPerUpdate = 1;

    /// <summary>The highest value of <see cref="MaxIdsPerUpdate"/>.</summary>
    public const int MaxIdsPerUpdateLimit = 1_000_000;

    /// <summary>
    /// How many ids one update of selected accounts may name. Default 10,000; range 1 to 1,000,000.
    /// A larger list is rejected with <c>TooManyIds</c> before any store is touched.
    /// </summary>
    public int MaxIdsPerUpdate { get; set; } = 10_000;
}

/// <summary>Validates <see cref="TwoFactorOptions"/>.</summary>
internal sealed class TwoFactorOptionsValidator : IValidateOptions<TwoFactorOptions>
{
    public ValidateOptionsResult Validate(string? name, TwoFactorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.MaxIdsPerUpdate is < TwoFactorOptions.MinIdsPerUpdate or > TwoFactorOptions.MaxIdsPerUpdateLimit
            ? ValidateOptionsResult.Fail($"{nameof(TwoFactorOptions.MaxIdsPerUpdate)} must be between {TwoFactorOptions.MinIdsPerUpdate} and {TwoFactorOptions.MaxIdsPerUpdateLimit}; it is {options.MaxIdsPerUpdate}.")
            : ValidateOptionsResult.Success;
    }
}
