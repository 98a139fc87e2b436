namespace Navixy.TwoFactor;

/// <summary>The audit trail of accepted changes (policy.md A1–A3). Validated when the host starts.</summary>
public sealed class AuditTrailOptions
{
    /// <summary>The shortest <see cref="Retention"/>: 1 day.</summary>
    public static readonly TimeSpan MinRetention = TimeSpan.FromDays(1);

    /// <summary>The longest <see cref="Retention"/>: 10 years.</summary>
    public static readonly TimeSpan MaxRetention = TimeSpan.FromDays(3653);

    /// <summary>
    /// How long entries are kept (A3): reads never show an older entry, and <c>ITwoFactorAuditTrail.PurgeAsync</c> deletes
    /// them. Default 400 days; range 1 day to 10 years.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(400);
}

/// <summary>Remembered devices (policy.md D1–D3). Validated when the host starts.</summary>
public sealed class RememberedDeviceOptions
{
    /// <summary>The longest remember period a tenant may set: 90 days (D1).</summary>
    public static readonly TimeSpan MaxRememberPeriod = TimeSpan.FromDays(90);

    /// <summary>The highest <see cref="MaxPerPrincipal"/>.</summary>
    public const int MaxPerPrincipalLimit = 100;

    /// <summary>Remembered devices kept per principal (D3); remembering one more drops the oldest. Default 10; range 1 to 100.</summary>
    public int MaxPerPrincipal { get; set; } = 10;

    /// <summary>The longest host label kept for a device; a longer one is cut. Default 100; range 1 to 1000.</summary>
    public int MaxLabelLength { get; set; } = 100;
}
