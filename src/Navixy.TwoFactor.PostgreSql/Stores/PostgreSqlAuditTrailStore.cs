using System.Globalization;
using System.Text.Json;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>
/// The audit trail over PostgreSQL (<c>audit_entries</c>). The policy and device stores insert the entry of each change in
/// the statement that makes it; this store reads, purges, and appends the entries of changes made elsewhere.
/// </summary>
internal sealed class PostgreSqlAuditTrailStore(PostgreSqlDatabase database) : IAuditTrailStore
{
    private const string Columns = "seq, moment, actor, operation, principal_id, account_ids, setting_before, setting_after, default_before, accounts_before, version, factor, detail, effective_at, cancelled_operation";

    private readonly NpgsqlDataSource _dataSource = database.DataSource;

    private readonly string _append = $"""
        INSERT INTO {database.Schema}.audit_entries (tenant_id, moment, actor, operation, principal_id, account_ids, setting_before, setting_after, default_before, version, factor, detail, effective_at, cancelled_operation)
        VALUES (@tenant, @moment, @actor, @operation, @principal, @accounts, @setting_before, @setting_after, @default_before, @version, @factor, @detail, @effective_at, @cancelled_operation)
        """;

    // The same filter as the in-memory trail's; newest first by seq.
    private readonly string _read = $"""
        SELECT {Columns} FROM {database.Schema}.audit_entries
        WHERE tenant_id = @tenant
          AND (@before::bigint IS NULL OR seq < @before)
          AND moment >= @from
          AND (@to::bigint IS NULL OR moment < @to)
          AND (@principal::bigint IS NULL OR principal_id = @principal OR @principal = ANY (account_ids))
        ORDER BY seq DESC
        LIMIT @limit
        """;

    // One bounded batch over audit_entries_moment_idx; rows another purge holds are skipped, not waited for.
    private readonly string _purge = $"""
        DELETE FROM {database.Schema}.audit_entries AS a
        USING (
            SELECT tenant_id, seq FROM {database.Schema}.audit_entries
            WHERE moment < @older_than
            ORDER BY moment
            LIMIT @batch
            FOR UPDATE SKIP LOCKED
        ) AS old
        WHERE a.tenant_id = old.tenant_id AND a.seq = old.seq
        """;

    public async ValueTask AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();
        var command = _dataSource.CreateCommand(_append);
        await using (command.ConfigureAwait(false))
        {
            var p = command.Parameters;
            p.Add(new NpgsqlParameter<long>("tenant", entry.Tenant.Value));
            p.Add(new NpgsqlParameter<long>("moment", entry.Moment.UtcTicks));
            p.Add(new NpgsqlParameter<string>("actor", entry.Actor.Name));
            p.Add(new NpgsqlParameter<short>("operation", (short)entry.Operation));
            p.Add(new NpgsqlParameter("principal", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)entry.PrincipalId ?? DBNull.Value });
            p.Add(new NpgsqlParameter("accounts", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint) { Value = entry.AccountIds.Count == 0 ? DBNull.Value : entry.AccountIds.ToArray() });
            p.Add(Setting("setting_before", entry.SettingBefore));
            p.Add(Setting("setting_after", entry.SettingAfter));
            p.Add(Setting("default_before", entry.DefaultBefore));
            p.Add(new NpgsqlParameter<long>("version", entry.Version));
            p.Add(new NpgsqlParameter<int>("factor", (int)entry.Factor));
            p.Add(new NpgsqlParameter("detail", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)entry.Detail ?? DBNull.Value });
            p.Add(new NpgsqlParameter("effective_at", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = entry.EffectiveFrom is { } at ? at.UtcTicks : DBNull.Value });
            p.Add(new NpgsqlParameter<short>("cancelled_operation", (short)entry.CancelledOperation));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<IReadOnlyList<AuditEntry>> ReadAsync(AuditTrailRead read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _dataSource.CreateCommand(_read);
        await using (command.ConfigureAwait(false))
        {
            var p = command.Parameters;
            p.Add(new NpgsqlParameter<long>("tenant", read.Tenant.Value));
            p.Add(new NpgsqlParameter("before", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)read.BeforeSequence ?? DBNull.Value });
            p.Add(new NpgsqlParameter<long>("from", read.From.UtcTicks));
            p.Add(new NpgsqlParameter("to", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = read.To is { } to ? to.UtcTicks : DBNull.Value });
            p.Add(new NpgsqlParameter("principal", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)read.PrincipalId ?? DBNull.Value });
            p.Add(new NpgsqlParameter<int>("limit", read.Limit));
            var entries = new List<AuditEntry>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    entries.Add(ReadEntry(reader, read.Tenant));
                }
            }

            return entries;
        }
    }

    public async ValueTask<int> PurgeAsync(DateTimeOffset olderThan, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        cancellationToken.ThrowIfCancellationRequested();
        var command = _dataSource.CreateCommand(_purge);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<long>("older_than", olderThan.UtcTicks));
            command.Parameters.Add(new NpgsqlParameter<int>("batch", batchSize));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static AuditEntry ReadEntry(NpgsqlDataReader reader, TenantId tenant) => new()
    {
        Tenant = tenant,
        Sequence = reader.GetInt64(0),
        Moment = new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero),
        Actor = new TwoFactorActor(reader.GetString(2)),
        Operation = (AuditOperation)reader.GetInt16(3),
        PrincipalId = reader.IsDBNull(4) ? null : reader.GetInt64(4),
        AccountIds = reader.IsDBNull(5) ? [] : reader.GetFieldValue<long[]>(5),
        SettingBefore = reader.IsDBNull(6) ? null : SettingCode.To(reader.GetInt32(6)),
        SettingAfter = reader.IsDBNull(7) ? null : SettingCode.To(reader.GetInt32(7)),
        DefaultBefore = reader.IsDBNull(8) ? null : SettingCode.To(reader.GetInt32(8)),
        AccountsBefore = reader.IsDBNull(9) ? new Dictionary<TwoFactorSetting, long>() : Counts(reader.GetString(9)),
        Version = reader.GetInt64(10),
        Factor = (FactorTypes)reader.GetInt32(11),
        Detail = reader.IsDBNull(12) ? null : reader.GetString(12),
        EffectiveFrom = reader.IsDBNull(13) ? null : new DateTimeOffset(reader.GetInt64(13), TimeSpan.Zero),
        CancelledOperation = (AuditOperation)reader.GetInt16(14),
    };

    /// <summary>Parses <c>accounts_before</c>: setting code (as text) to count.</summary>
    private static Dictionary<TwoFactorSetting, long> Counts(string json)
    {
        var counts = new Dictionary<TwoFactorSetting, long>();
        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            counts[SettingCode.To(int.Parse(property.Name, NumberStyles.Integer, CultureInfo.InvariantCulture))] = property.Value.GetInt64();
        }

        return counts;
    }

    private static NpgsqlParameter Setting(string name, TwoFactorSetting? setting) =>
        new(name, NpgsqlTypes.NpgsqlDbType.Integer) { Value = setting is { } s ? SettingCode.From(s) : DBNull.Value };
}
