using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Devices;

/// <summary>
/// Remembered devices (policy.md D1–D3): after a passed second step the host may ask for a device token, which a later
/// <c>ITwoFactorChallenges.StartAsync(tenant, principalId, deviceToken)</c> honours instead of a second step while it is
/// valid. The host checks who may act for the principal (the principal itself or an administrator of <c>tenant</c>) and
/// names the actor through <see cref="ITwoFactorActorAccessor"/>. No method throws for a store failure: it is logged once and
/// answered as each method says (<see cref="RememberDeviceOutcome.Failed"/>, or <see langword="null"/> where the answer is a
/// plain value); only the caller's own cancellation throws.
/// </summary>
public interface ITwoFactorRememberedDevices
{
    /// <summary>
    /// Issues a device token for the principal, redeeming <paramref name="passedChallengeToken"/>: the token of a challenge
    /// this principal passed within the step-up lifetime (5 minutes by default), each pass at most once (for a device or
    /// for step-up). The token is returned once and stored only as a keyed hash; it is valid for the tenant's remember period
    /// and void after a settings change that applies to the principal, an admin reset, a replaced or removed authenticator,
    /// or being forgotten. The principal's oldest devices beyond the cap are dropped.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="passedChallengeToken">The challenge token of the pass.</param>
    /// <param name="label">A host label for lists, e.g. "Firefox on Windows"; cut to <see cref="RememberedDeviceOptions.MaxLabelLength"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<RememberDeviceResult> RememberAsync(TenantId tenant, long principalId, string? passedChallengeToken, string? label = null, CancellationToken cancellationToken = default);

    /// <summary>The principal's remembered devices that are still valid, oldest first (D3). Never a token.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The devices (empty when none); <see langword="null"/> when a store failed.</returns>
    ValueTask<IReadOnlyList<RememberedDevice>?> ListAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default);

    /// <summary>Forgets one device of the principal; answers whether there was one. Audited (A1).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="deviceId">The device's <see cref="RememberedDevice.DeviceId"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>True when it was forgotten, false when there was no such device; <see langword="null"/> when a store failed
    /// (the device may still be remembered: retry).</returns>
    ValueTask<bool?> ForgetAsync(TenantId tenant, long principalId, string deviceId, CancellationToken cancellationToken = default);

    /// <summary>Forgets every device of the principal; answers how many. Audited (A1) when there was any.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many were forgotten; <see langword="null"/> when a store failed (devices may still be remembered: retry).</returns>
    ValueTask<int?> ForgetAllAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default);

    /// <summary>The tenant's remember period; <see cref="TimeSpan.Zero"/> (off, the default) when devices are not remembered.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The period; <see langword="null"/> when a store failed.</returns>
    ValueTask<TimeSpan?> GetRememberPeriodAsync(TenantId tenant, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the tenant's remember period: zero (off) up to <see cref="RememberedDeviceOptions.MaxRememberPeriod"/> (90 days);
    /// answers false, changing nothing, for a value out of that range. It applies at once to every token of the tenant
    /// (a token is honoured while now &lt; issued + period), so switching it off stops every remembered device. Audited (A1).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">The new period.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>True when set; false, changing nothing, when out of range; <see langword="null"/> when a store failed (nothing
    /// was changed or appended).</returns>
    ValueTask<bool?> SetRememberPeriodAsync(TenantId tenant, TimeSpan period, CancellationToken cancellationToken = default);
}
