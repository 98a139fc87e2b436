using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;

namespace Navixy.TwoFactor.Administration;

/// <summary>
/// Re-wraps stored authenticator secrets to the primary key (security.md item 36): reads a page of active secrets, and for
/// each one not already under the primary key decrypts it with the key it names and swaps in the same secret protected
/// with the primary key, if the row still holds what was read. No lock is held between calls, so logins verify meanwhile
/// (a login that checked the old blob just before the swap is retried against the new one by the challenge service).
/// </summary>
internal sealed class KeyRotationService : ITwoFactorKeyRotation
{
    private readonly ITotpEnrollmentStore _enrollments;
    private readonly TotpFactor _factor;
    private readonly IKeyRingSecretProtector? _keyRing;
    private readonly int _primaryKeyId;
    private readonly TwoFactorAudit _audit;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public KeyRotationService(
        ITotpEnrollmentStore enrollments,
        TotpFactor factor,
        ISecretProtector protector,
        TwoFactorKeyRing keys,
        TwoFactorAudit audit,
        TimeProvider time,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(enrollments);
        ArgumentNullException.ThrowIfNull(factor);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        _enrollments = enrollments;
        _factor = factor;
        _keyRing = protector as IKeyRingSecretProtector;
        _primaryKeyId = keys.PrimaryKeyId;
        _audit = audit;
        _time = time;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(TwoFactorLog.Category);
    }

    public async ValueTask<KeyRewrapResult> RewrapSecretsAsync(TenantId? tenant = null, int batchSize = KeyRewrapResult.DefaultBatchSize, CancellationToken cancellationToken = default)
    {
        if (tenant is { } one)
        {
            TenantId.ThrowIfInvalid(one);
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, KeyRewrapResult.MaxBatchSize);
        if (_enrollments is not ITotpSecretRewrapStore store)
        {
            return new KeyRewrapResult(KeyRewrapOutcome.NotSupported, 0, 0, 0, 0);
        }

        var tally = new Tally();
        try
        {
            TotpActiveSecret? after = null;
            IReadOnlyList<TotpActiveSecret> page;
            do
            {
                page = await store.ListActiveSecretsAsync(tenant, after, batchSize, cancellationToken).ConfigureAwait(false);
                foreach (var entry in page)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await RewrapAsync(store, entry, tally, cancellationToken).ConfigureAwait(false);
                }

                after = page.Count > 0 ? page[^1] : null;
            }
            while (page.Count == batchSize);
        }
        catch (Exception exception) when (TwoFactorAudit.IsStoreFailure(exception, cancellationToken))
        {
            TwoFactorLog.StoreFailed(_logger, exception, "key re-wrap", tenant?.Value ?? 0);
            return Finish(KeyRewrapOutcome.Failed, tally);
        }

        return Finish(KeyRewrapOutcome.Completed, tally);
    }

    private async ValueTask RewrapAsync(ITotpSecretRewrapStore store, TotpActiveSecret entry, Tally tally, CancellationToken cancellationToken)
    {
        tally.Examined++;
        if (_keyRing?.IsProtectedWithPrimaryKey(entry.ProtectedSecret) == true)
        {
            return;
        }

        if (!_factor.TryUnprotect(entry.Tenant, entry.PrincipalId, entry.ProtectedSecret, out var secret))
        {
            // Fails closed as a login would: left as it is, and told, so the operator keeps the key or resets the principal.
            tally.Unreadable++;
            TwoFactorLog.TotpSecretUnreadable(_logger, entry.Tenant.Value, entry.PrincipalId);
            await _audit.RaiseAsync(
                new TwoFactorAuditEvent
                {
                    Kind = TwoFactorAuditEventKind.TotpSecretUnreadable, Tenant = entry.Tenant, Timestamp = _time.GetUtcNow(),
                    PrincipalId = entry.PrincipalId, Factor = FactorTypes.Totp,
                },
                cancellationToken).ConfigureAwait(false);
            return;
        }

        byte[] replacement;
        try
        {
            replacement = _factor.Protect(entry.Tenant, entry.PrincipalId, secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }

        if (await store.TryReplaceActiveSecretAsync(entry.Tenant, entry.PrincipalId, entry.ProtectedSecret, replacement, cancellationToken).ConfigureAwait(false))
        {
            tally.Rewrapped++;
        }
        else
        {
            tally.Changed++;
        }
    }

    private KeyRewrapResult Finish(KeyRewrapOutcome outcome, Tally tally)
    {
        TwoFactorLog.KeyRewrapFinished(_logger, outcome == KeyRewrapOutcome.Completed, tally.Examined, tally.Rewrapped, _primaryKeyId, tally.Unreadable, tally.Changed);
        return new KeyRewrapResult(outcome, tally.Examined, tally.Rewrapped, tally.Unreadable, tally.Changed);
    }

    private sealed class Tally
    {
        public long Examined { get; set; }

        public long Rewrapped { get; set; }

        public long Unreadable { get; set; }

        public long Changed { get; set; }
    }
}
