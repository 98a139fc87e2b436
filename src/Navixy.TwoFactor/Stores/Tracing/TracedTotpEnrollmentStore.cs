using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.Tracing;

/// <summary><see cref="ITotpEnrollmentStore"/> with a span per call (<c>navixy.twofactor.store totp_enrollment.…</c>).</summary>
internal sealed class TracedTotpEnrollmentStore(ITotpEnrollmentStore inner) : ITotpEnrollmentStore, IStoreDecorator
{
    /// <inheritdoc/>
    public object Inner => inner;

    public ValueTask<TotpEnrollmentRecord?> GetAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("totp_enrollment.get", () => inner.GetAsync(tenant, principalId, cancellationToken)) : inner.GetAsync(tenant, principalId, cancellationToken);

    public ValueTask SavePendingAsync(TenantId tenant, long principalId, byte[] protectedSecret, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("totp_enrollment.save_pending", () => inner.SavePendingAsync(tenant, principalId, protectedSecret, expiresAt, cancellationToken)) : inner.SavePendingAsync(tenant, principalId, protectedSecret, expiresAt, cancellationToken);

    public ValueTask<bool> ActivatePendingAsync(TenantId tenant, long principalId, byte[] expectedPendingSecret, long acceptedStep, DateTimeOffset now, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("totp_enrollment.activate_pending", () => inner.ActivatePendingAsync(tenant, principalId, expectedPendingSecret, acceptedStep, now, cancellationToken)) : inner.ActivatePendingAsync(tenant, principalId, expectedPendingSecret, acceptedStep, now, cancellationToken);

    public ValueTask<bool> TryAdvanceStepAsync(TenantId tenant, long principalId, byte[] expectedActiveSecret, long matchedStep, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("totp_enrollment.try_advance_step", () => inner.TryAdvanceStepAsync(tenant, principalId, expectedActiveSecret, matchedStep, cancellationToken)) : inner.TryAdvanceStepAsync(tenant, principalId, expectedActiveSecret, matchedStep, cancellationToken);

    public ValueTask<bool> DeleteAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("totp_enrollment.delete", () => inner.DeleteAsync(tenant, principalId, cancellationToken)) : inner.DeleteAsync(tenant, principalId, cancellationToken);
}
