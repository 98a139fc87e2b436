using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Cryptography;

namespace Navixy.TwoFactor;

/// <summary>Options of the policy engine. Validated when the host starts (<c>ValidateOnStart</c>).</summary>
public sealed class TwoFactorOptions
{
    /// <summary>The lowest value of <see cref="MaxIdsPerUpdate"/>.</summary>
    public const int MinIdsPerUpdate = 1;

    /// <summary>The highest value of <see cref="MaxIdsPerUpdate"/>.</summary>
    public const int MaxIdsPerUpdateLimit = 1_000_000;

    /// <summary>The most principals one page of the directory listing answers (<c>ITwoFactorDirectory.ListAsync</c>).</summary>
    public const int MaxDirectoryPageSize = 10_000;

    /// <summary>
    /// How many scheduled settings changes (S11) a tenant may have pending at once; one more is rejected with
    /// <c>TooManyScheduled</c>. Every resolve of the tenant looks at the pending ones, so they stay few.
    /// </summary>
    public const int MaxPendingChanges = 64;

    /// <summary>
    /// How many ids one update of selected accounts may name. Default 10,000; range 1 to 1,000,000.
    /// A larger list is rejected with <c>TooManyIds</c> before any store is touched.
    /// </summary>
    public int MaxIdsPerUpdate { get; set; } = 10_000;

    /// <summary>
    /// The secret every purpose key is derived from (HKDF-SHA256): base64 of at least 32 random bytes (at most
    /// 1,024). Default <see langword="null"/>: the process then uses an ephemeral random key and logs a warning,
    /// which suits the in-memory stores only (their challenges die with the process anyway). A store that outlives
    /// the process requires it (see <c>TwoFactorBuilder.RequireKeyMaterial()</c>). Keep it out of the store.
    /// </summary>
    public string? KeyMaterial { get; set; }

    /// <summary>
    /// Further keys of the key ring, by key id (1 to 255), each base64 of at least 32 random bytes (at most 1,024); key id
    /// 0 is <see cref="KeyMaterial"/>. Default empty. A key is kept here for reading what it protected (authenticator
    /// secrets, open challenges) until a re-wrap has moved them to the primary key; see <see cref="PrimaryKeyId"/>.
    /// </summary>
    public IDictionary<int, string> Keys { get; } = new Dictionary<int, string>();

    /// <summary>
    /// The key id new secrets, tokens and code digests are made with: 0 (<see cref="KeyMaterial"/>, the default) or a key
    /// of <see cref="Keys"/>. The key it names must be configured; the host refuses to start otherwise.
    /// </summary>
    public int PrimaryKeyId { get; set; }

    /// <summary>Limits of the login second step (codes, resends, attempts, lockout); see <see cref="ChallengeOptions"/>.</summary>
    public ChallengeOptions Challenges { get; } = new();

    /// <summary>Authenticator apps, recovery codes and step-up; see <see cref="TotpOptions"/>.</summary>
    public TotpOptions Totp { get; } = new();

    /// <summary>The audit trail of accepted changes (policy.md A1–A3).</summary>
    public AuditTrailOptions AuditTrail { get; } = new();

    /// <summary>Remembered devices (policy.md D1–D3).</summary>
    public RememberedDeviceOptions RememberedDevices { get; } = new();
}

/// <summary>Validates <see cref="TwoFactorOptions"/>.</summary>
internal sealed class TwoFactorOptionsValidator : IValidateOptions<TwoFactorOptions>
{
    public ValidateOptionsResult Validate(string? name, TwoFactorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.MaxIdsPerUpdate is < TwoFactorOptions.MinIdsPerUpdate or > TwoFactorOptions.MaxIdsPerUpdateLimit
            ? ValidateOptionsResult.Fail($"{nameof(TwoFactorOptions.MaxIdsPerUpdate)} must be between {TwoFactorOptions.MinIdsPerUpdate} and {TwoFactorOptions.MaxIdsPerUpdateLimit}; it is {options.MaxIdsPerUpdate}.")
            : PolicyOverTimeOptions.Validate(options);
    }
}
