using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.Tracing;

/// <summary><see cref="ITotpEnrollmentStore"/> with a span per call (<c>navixy.twofactor.store totp_enrollment.…</c>).</summary>
internal sealed class TracedTotpEnrollmentStore(ITotpEnrollmentStore inner) : ITotpEnrollmentStore, IStoreDecorator
{
    /// <inheritdoc/>
    public object Inner => inner;

    public ValueTask<TotpEnrollmentRecord?> GetAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedGetAsync(tenant, principalId, cancellationToken) : inner.GetAsync(tenant, principalId, cancellationToken);

    private async ValueTask<TotpEnrollmentRecord?> TracedGetAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("totp_enrollment.get");
        try
        {
            return await inner.GetAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask SavePendingAsync(TenantId tenant, long principalId, byte[] protectedSecret, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedSavePendingAsync(tenant, principalId, protectedSecret, expiresAt, cancellationToken) : inner.SavePendingAsync(tenant, principalId, protectedSecret, expiresAt, cancellationToken);

    private async ValueTask TracedSavePendingAsync(TenantId tenant, long principalId, byte[] protectedSecret, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("totp_enrollment.save_pending");
        try
        {
            await inner.SavePendingAsync(tenant, principalId, protectedSecret, expiresAt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<bool> ActivatePendingAsync(TenantId tenant, long principalId, byte[] expectedPendingSecret, long acceptedStep, DateTimeOffset now, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedActivatePendingAsync(tenant, principalId, expectedPendingSecret, acceptedStep, now, cancellationToken) : inner.ActivatePendingAsync(tenant, principalId, expectedPendingSecret, acceptedStep, now, cancellationToken);

    private async ValueTask<bool> TracedActivatePendingAsync(TenantId tenant, long principalId, byte[] expectedPendingSecret, long acceptedStep, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("totp_enrollment.activate_pending");
        try
        {
            return await inner.ActivatePendingAsync(tenant, principalId, expectedPendingSecret, acceptedStep, now, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<bool> TryAdvanceStepAsync(TenantId tenant, long principalId, byte[] expectedActiveSecret, long matchedStep, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedTryAdvanceStepAsync(tenant, principalId, expectedActiveSecret, matchedStep, cancellationToken) : inner.TryAdvanceStepAsync(tenant, principalId, expectedActiveSecret, matchedStep, cancellationToken);

    private async ValueTask<bool> TracedTryAdvanceStepAsync(TenantId tenant, long principalId, byte[] expectedActiveSecret, long matchedStep, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("totp_enrollment.try_advance_step");
        try
        {
            return await inner.TryAdvanceStepAsync(tenant, principalId, expectedActiveSecret, matchedStep, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<bool> DeleteAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedDeleteAsync(tenant, principalId, cancellationToken) : inner.DeleteAsync(tenant, principalId, cancellationToken);

    private async ValueTask<bool> TracedDeleteAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("totp_enrollment.delete");
        try
        {
            return await inner.DeleteAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }
}
