using System.Diagnostics.CodeAnalysis;

namespace Navixy.TwoFactor.Devices;

/// <summary>A remembered device as the principal or an administrator sees it (policy.md D3); never its token.</summary>
/// <param name="DeviceId">A non-secret id, to forget this device.</param>
/// <param name="Label">The host's label; may be null.</param>
/// <param name="IssuedAt">When it was remembered.</param>
/// <param name="LastUsedAt">When a start last honoured it; null until then.</param>
/// <param name="ExpiresAt">When it stops being honoured under the tenant's current remember period.</param>
public sealed record RememberedDevice(string DeviceId, string? Label, DateTimeOffset IssuedAt, DateTimeOffset? LastUsedAt, DateTimeOffset ExpiresAt);

/// <summary>What <see cref="ITwoFactorRememberedDevices.RememberAsync"/> did. The default is <see cref="Failed"/>.</summary>
public enum RememberDeviceOutcome
{
    /// <summary>A store failed; nothing was issued. Retry with a new pass.</summary>
    Failed = 0,

    /// <summary>The device is remembered; <see cref="RememberDeviceResult.Token"/> holds its token, shown once.</summary>
    Remembered = 1,

    /// <summary>The tenant's remember period is off (the default): devices are not remembered.</summary>
    RememberingOff = 2,

    /// <summary>
    /// The challenge token is not a pass of this principal within the step-up lifetime that is still unredeemed (none,
    /// malformed, another principal's, not passed, too old, or already used for a device or a step-up).
    /// </summary>
    PassRequired = 3,

    /// <summary>The principal is not registered in the tenant.</summary>
    UnknownPrincipal = 4,
}

/// <summary>The answer to <see cref="ITwoFactorRememberedDevices.RememberAsync"/>. <see cref="ToString"/> never shows the token.</summary>
public readonly record struct RememberDeviceResult
{
    /// <summary>A result without a token.</summary>
    /// <param name="outcome">Anything but <see cref="RememberDeviceOutcome.Remembered"/>.</param>
    public RememberDeviceResult(RememberDeviceOutcome outcome)
    {
        if (outcome == RememberDeviceOutcome.Remembered)
        {
            throw new ArgumentException("A remembered device comes with its token.", nameof(outcome));
        }

        Outcome = outcome;
    }

    /// <summary>A remembered device.</summary>
    /// <param name="token">The device token, for the client to keep and present at its next sign-in.</param>
    /// <param name="deviceId">The device's non-secret id.</param>
    /// <param name="expiresAt">When it stops being honoured under the current remember period.</param>
    public RememberDeviceResult(string token, string deviceId, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        Outcome = RememberDeviceOutcome.Remembered;
        Token = token;
        DeviceId = deviceId;
        ExpiresAt = expiresAt;
    }

    /// <summary>What happened.</summary>
    public RememberDeviceOutcome Outcome { get; }

    /// <summary>Whether the device is remembered.</summary>
    [MemberNotNullWhen(true, nameof(Token), nameof(DeviceId))]
    public bool Succeeded => Outcome == RememberDeviceOutcome.Remembered;

    /// <summary>The device token (43 characters, 256 random bits) when remembered; otherwise null.</summary>
    public string? Token { get; }

    /// <summary>The device's non-secret id when remembered; otherwise null.</summary>
    public string? DeviceId { get; }

    /// <summary>When it stops being honoured under the remember period at issue.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The outcome and device id; never the token.</summary>
    public override string ToString() => $"{Outcome} {DeviceId}";
}
