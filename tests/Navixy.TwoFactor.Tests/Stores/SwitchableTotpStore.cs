using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.InMemory;

namespace Navixy.TwoFactor.Tests.Stores;

/// <summary>
/// The in-memory authenticator stores, until told to throw (a database that went away) or to hand out tampered secrets (a
/// reader who can write the table).
/// </summary>
public sealed class SwitchableTotpStore : ITotpEnrollmentStore, IRecoveryCodeStore
{
    private readonly InMemoryTotpStore _inner = new();

    public bool Throw { get; set; }

    /// <summary>Flip one bit of the active secret's ciphertext in every read.</summary>
    public bool TamperActive { get; set; }

    /// <summary>Flip one bit of the pending secret's ciphertext in every read.</summary>
    public bool TamperPending { get; set; }

    public async ValueTask<TotpEnrollmentRecord?> GetAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        Fail();
        var record = await _inner.GetAsync(tenant, principalId, cancellationToken);
        return record is null ? null : record with
        {
            ActiveSecret = TamperActive ? Flip(record.ActiveSecret) : record.ActiveSecret,
            PendingSecret = TamperPending ? Flip(record.PendingSecret) : record.PendingSecret,
        };
    }

    public ValueTask SavePendingAsync(TenantId tenant, long principalId, byte[] protectedSecret, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        Fail();
        return _inner.SavePendingAsync(tenant, principalId, protectedSecret, expiresAt, cancellationToken);
    }

    public ValueTask<bool> ActivatePendingAsync(TenantId tenant, long principalId, byte[] expectedPendingSecret, long acceptedStep, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Fail();
        return _inner.ActivatePendingAsync(tenant, principalId, expectedPendingSecret, acceptedStep, now, cancellationToken);
    }

    public ValueTask<bool> TryAdvanceStepAsync(TenantId tenant, long principalId, byte[] expectedActiveSecret, long matchedStep, CancellationToken cancellationToken)
    {
        Fail();
        return _inner.TryAdvanceStepAsync(tenant, principalId, expectedActiveSecret, matchedStep, cancellationToken);
    }

    public ValueTask<bool> DeleteAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        Fail();
        return _inner.DeleteAsync(tenant, principalId, cancellationToken);
    }

    public ValueTask ReplaceAsync(TenantId tenant, long principalId, IReadOnlyList<RecoveryCodeHash> codes, CancellationToken cancellationToken)
    {
        Fail();
        return _inner.ReplaceAsync(tenant, principalId, codes, cancellationToken);
    }

    public ValueTask<IReadOnlyList<RecoveryCodeHash>> FindUnusedAsync(TenantId tenant, long principalId, string lookupId, CancellationToken cancellationToken)
    {
        Fail();
        return _inner.FindUnusedAsync(tenant, principalId, lookupId, cancellationToken);
    }

    public ValueTask<IReadOnlyList<RecoveryCodeHash>> FindUsedAsync(TenantId tenant, long principalId, string lookupId, CancellationToken cancellationToken)
    {
        Fail();
        return _inner.FindUsedAsync(tenant, principalId, lookupId, cancellationToken);
    }

    public ValueTask<bool> TryMarkUsedAsync(TenantId tenant, long principalId, RecoveryCodeHash code, CancellationToken cancellationToken)
    {
        Fail();
        return _inner.TryMarkUsedAsync(tenant, principalId, code, cancellationToken);
    }

    public ValueTask<int> CountUnusedAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        Fail();
        return _inner.CountUnusedAsync(tenant, principalId, cancellationToken);
    }

    public ValueTask<int> DeleteAllAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        Fail();
        return _inner.DeleteAllAsync(tenant, principalId, cancellationToken);
    }

    private void Fail()
    {
        if (Throw)
        {
            throw new TimeoutException("The database is down.");
        }
    }

    private static byte[]? Flip(byte[]? blob)
    {
        if (blob is null)
        {
            return null;
        }

        var copy = (byte[])blob.Clone();
        copy[^1] ^= 0x01;
        return copy;
    }
}
