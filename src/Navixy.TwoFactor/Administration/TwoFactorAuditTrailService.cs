using System.Buffers.Binary;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;

namespace Navixy.TwoFactor.Administration;

/// <summary>
/// Pages through the audit trail: checks the query, decodes the cursor (the sequence of the last entry answered, so pages
/// stay stable while new entries arrive), applies the retention, and asks the store for one entry more than the page to
/// know whether another page follows.
/// </summary>
internal sealed class TwoFactorAuditTrailService(
    IAuditTrailStore store,
    TimeProvider time,
    IOptions<TwoFactorOptions> options,
    TwoFactorAudit audit) : ITwoFactorAuditTrail
{
    private const string CursorPrefix = "a1.";

    /// <summary>Entries one store call of <see cref="PurgeAsync"/> deletes at most (one short statement on a database).</summary>
    private const int PurgeBatchSize = 1_000;

    public async ValueTask<AuditTrailPage> ReadAsync(TenantId tenant, AuditTrailQuery? query = null, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        query ??= new AuditTrailQuery();
        long? before = null;
        if (query.Cursor is not null)
        {
            if (!TryDecode(query.Cursor, out var sequence))
            {
                return AuditTrailPage.InvalidQuery;
            }

            before = sequence;
        }

        var oldest = time.GetUtcNow() - options.Value.AuditTrail.Retention;
        var from = query.From is { } f && f > oldest ? f : oldest;
        if (query.PageSize is < AuditTrailQuery.MinPageSize or > AuditTrailQuery.MaxPageSize || (query.From is { } qf && query.To is { } qt && qt <= qf))
        {
            return AuditTrailPage.InvalidQuery;
        }

        try
        {
            var read = new AuditTrailRead(tenant, query.PageSize + 1, before, from, query.To, query.PrincipalId);
            var entries = await store.ReadAsync(read, cancellationToken).ConfigureAwait(false);
            if (entries.Count <= query.PageSize)
            {
                return new AuditTrailPage(entries, nextCursor: null);
            }

            var page = entries.Take(query.PageSize).ToArray();
            return new AuditTrailPage(page, Encode(page[^1].Sequence));
        }
        catch (Exception exception) when (TwoFactorAudit.IsStoreFailure(exception, cancellationToken))
        {
            await audit.StoreFailedAsync(exception, "audit trail read", tenant, query.PrincipalId, cancellationToken).ConfigureAwait(false);
            return AuditTrailPage.Failed;
        }
    }

    public async ValueTask<long> PurgeAsync(CancellationToken cancellationToken = default)
    {
        var olderThan = time.GetUtcNow() - options.Value.AuditTrail.Retention;
        long purged = 0;
        int deleted;
        do
        {
            deleted = await store.PurgeAsync(olderThan, PurgeBatchSize, cancellationToken).ConfigureAwait(false);
            purged += deleted;
        }
        while (deleted == PurgeBatchSize);

        return purged;
    }

    /// <summary>The cursor: a version prefix and the sequence, base64url; opaque to the client.</summary>
    private static string Encode(long sequence)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, sequence);
        return CursorPrefix + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static bool TryDecode(string cursor, out long sequence)
    {
        sequence = 0;
        if (cursor.Length != CursorPrefix.Length + 11 || !cursor.StartsWith(CursorPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var base64 = cursor[CursorPrefix.Length..].Replace('-', '+').Replace('_', '/') + "=";
        Span<byte> bytes = stackalloc byte[9];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != 8)
        {
            return false;
        }

        sequence = BinaryPrimitives.ReadInt64BigEndian(bytes);
        return sequence > 0;
    }
}
