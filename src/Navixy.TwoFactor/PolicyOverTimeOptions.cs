using Microsoft.Extensions.Options;

namespace Navixy.TwoFactor;

/// <summary>Validates <see cref="AuditTrailOptions"/> and <see cref="RememberedDeviceOptions"/>.</summary>
internal static class PolicyOverTimeOptions
{
    public static ValidateOptionsResult Validate(TwoFactorOptions options)
    {
        var trail = options.AuditTrail;
        var devices = options.RememberedDevices;
        return trail.Retention < AuditTrailOptions.MinRetention || trail.Retention > AuditTrailOptions.MaxRetention
            ? ValidateOptionsResult.Fail($"AuditTrail.Retention must be between 1 day and 10 years; it is {trail.Retention}.")
            : devices.MaxPerPrincipal is < 1 or > RememberedDeviceOptions.MaxPerPrincipalLimit
            ? ValidateOptionsResult.Fail($"RememberedDevices.MaxPerPrincipal must be between 1 and {RememberedDeviceOptions.MaxPerPrincipalLimit}; it is {devices.MaxPerPrincipal}.")
            : devices.MaxLabelLength is < 1 or > 1000
            ? ValidateOptionsResult.Fail($"RememberedDevices.MaxLabelLength must be between 1 and 1000; it is {devices.MaxLabelLength}.")
            : ValidateOptionsResult.Success;
    }
}
