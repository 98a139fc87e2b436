using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.Tracing;

/// <summary><see cref="ITotpEnrollmentStore"/> with a span per call (<c>navixy.twofactor.store totp_enrollment.…</c>).</summary>
internal sealed class TracedTotpEnrollmentStore(ITotpEnrollmentStore inner) : ITotpEnrollmentStore
{
    public async ValueTask<TotpEnrollmentRecord?> GetAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
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

    public async ValueTask SavePendingAsync(TenantId tenant, long principalId, byte[] protectedSecret, DateTimeOffset expiresAt, CancellationToken cancellationToken)
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

    public async ValueTask<bool> ActivatePendingAsync(TenantId tenant, long principalId, byte[] expectedPendingSecret, long acceptedStep, DateTimeOffset now, CancellationToken cancellationToken)
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

    public async ValueTask<bool> TryAdvanceStepAsync(TenantId tenant, long principalId, byte[] expectedActiveSecret, long matchedStep, CancellationToken cancellationToken)
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

    public async ValueTask<bool> DeleteAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
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
