using System.Text.Json;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.AuditTrail;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>
/// Scheduled settings changes over PostgreSQL (policy.md S11): rows of <c>scheduled_changes</c>, handed out with every snapshot
/// and folded in by <c>apply_due_changes</c>, which every writer calls first in its own batch (no extra round trip). Scheduling
/// and cancelling insert their audit-trail entry in the statement that makes the change (policy.md A2); folding in writes none.
/// </summary>
internal sealed partial class PostgreSqlPolicyStore : IScheduledSettingsStore
{
    private const short SelectedKind = 2;

    // The entry names the settings the change will replace at its moment as scheduled now: the stored ones and the changes
    // pending at or before that moment (this statement's snapshot does not hold the change it adds), as ScheduledChangeEntries.
    private readonly string _schedule = $"""
        WITH req AS (
            SELECT r.id, r.ord FROM unnest(@ids::bigint[]) WITH ORDINALITY AS r (id, ord)
        ), found AS (
            SELECT req.id, req.ord, p.kind FROM req
            LEFT JOIN {database.Schema}.principals AS p ON p.tenant_id = @tenant AND p.principal_id = req.id
        ), bad AS (
            SELECT id, ord, CASE WHEN kind IS NULL THEN 1 ELSE 2 END AS code FROM found WHERE kind IS DISTINCT FROM 1
        ), cnt AS (
            SELECT count(*) AS n FROM {database.Schema}.scheduled_changes WHERE tenant_id = @tenant
        ), upd AS (
            UPDATE {database.Schema}.tenants AS t SET version = t.version + 1
            WHERE t.tenant_id = @tenant AND NOT @dry AND NOT EXISTS (SELECT 1 FROM bad) AND (SELECT n FROM cnt) < @max
            RETURNING t.version
        ), ins AS (
            INSERT INTO {database.Schema}.scheduled_changes (tenant_id, change_id, effective_at, kind, setting, account_ids)
            SELECT @tenant, version, @at, @kind, @setting, @ids FROM upd
            RETURNING change_id
        ), ten AS (
            SELECT all_setting, all_version, default_setting FROM {database.Schema}.tenants WHERE tenant_id = @tenant
        ), prior AS (
            SELECT COALESCE((SELECT c.setting FROM {database.Schema}.scheduled_changes AS c
                             WHERE c.tenant_id = @tenant AND c.kind IN (1, 4) AND c.effective_at <= @at
                             ORDER BY c.effective_at DESC, c.change_id DESC LIMIT 1), ten.all_setting) AS all_setting,
                   COALESCE((SELECT c.setting FROM {database.Schema}.scheduled_changes AS c
                             WHERE c.tenant_id = @tenant AND c.kind IN (3, 4) AND c.effective_at <= @at
                             ORDER BY c.effective_at DESC, c.change_id DESC LIMIT 1), ten.default_setting) AS default_setting
            FROM ten
        ), moving AS (
            SELECT COALESCE((SELECT c.setting FROM {database.Schema}.scheduled_changes AS c
                             WHERE c.tenant_id = @tenant AND c.effective_at <= @at
                               AND (c.kind IN (1, 4) OR (c.kind = 2 AND p.principal_id = ANY (c.account_ids)))
                             ORDER BY c.effective_at DESC, c.change_id DESC LIMIT 1),
                            CASE WHEN p.version > ten.all_version THEN p.setting ELSE ten.all_setting END) AS effective
            FROM {database.Schema}.principals AS p CROSS JOIN ten
            WHERE @kind = 2 AND p.tenant_id = @tenant AND p.principal_id = ANY (@ids) AND p.kind = 1 AND NOT p.is_demo
        ), aud AS (
            INSERT INTO {database.Schema}.audit_entries (tenant_id, moment, actor, operation, account_ids, setting_before, setting_after, default_before, accounts_before, version, effective_at)
            SELECT @tenant, @moment, @actor, @kind,
                   CASE WHEN @kind = 2 THEN @ids END,
                   CASE WHEN @kind IN (1, 4) THEN prior.all_setting WHEN @kind = 3 THEN prior.default_setting END,
                   @setting,
                   CASE WHEN @kind = 4 THEN prior.default_setting END,
                   CASE WHEN @kind = 2 THEN (SELECT COALESCE(jsonb_object_agg(c.k, c.n), jsonb_build_object())
                                             FROM (SELECT m.effective::text AS k, count(*) AS n FROM moving AS m GROUP BY m.effective) AS c) END,
                   ins.change_id, @at
            FROM ins CROSS JOIN prior
        )
        SELECT (SELECT array_agg(id ORDER BY ord) FROM bad), (SELECT array_agg(code ORDER BY ord) FROM bad),
               (SELECT n FROM cnt), (SELECT change_id FROM ins)
        """;

    private readonly string _listScheduled = $"""
        SELECT change_id, effective_at, kind, setting, account_ids FROM {database.Schema}.scheduled_changes
        WHERE tenant_id = @tenant AND effective_at > @now
        ORDER BY effective_at, change_id
        """;

    private readonly string _cancelScheduled = $"""
        WITH del AS (
            DELETE FROM {database.Schema}.scheduled_changes WHERE tenant_id = @tenant AND change_id = @change
            RETURNING change_id, effective_at, kind, setting, account_ids
        ), upd AS (
            UPDATE {database.Schema}.tenants AS t SET version = t.version + 1
            WHERE t.tenant_id = @tenant AND EXISTS (SELECT 1 FROM del)
            RETURNING t.version
        ), aud AS (
            INSERT INTO {database.Schema}.audit_entries (tenant_id, moment, actor, operation, account_ids, setting_after, version, effective_at, cancelled_operation, detail)
            SELECT @tenant, @moment, @actor, 12, CASE WHEN del.kind = 2 THEN del.account_ids END, del.setting, upd.version,
                   del.effective_at, del.kind, del.change_id::text
            FROM del CROSS JOIN upd
        )
        SELECT (SELECT version FROM upd)
        """;

    public async ValueTask<SettingsUpdateResult> ScheduleAsync(TenantId tenant, ScheduledChange change, bool dryRun, AuditContext audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        cancellationToken.ThrowIfCancellationRequested();
        var batch = _dataSource.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            AddLockTenant(batch, tenant);
            var schedule = Add(batch, _schedule, tenant);
            schedule.Parameters.Add(new NpgsqlParameter<long[]>("ids", [.. change.AccountIds]));
            schedule.Parameters.Add(new NpgsqlParameter<bool>("dry", dryRun));
            schedule.Parameters.Add(new NpgsqlParameter<long>("max", TwoFactorOptions.MaxPendingChanges));
            schedule.Parameters.Add(new NpgsqlParameter<long>("at", change.EffectiveFrom.UtcTicks));
            schedule.Parameters.Add(new NpgsqlParameter<short>("kind", (short)change.Kind));
            schedule.Parameters.Add(new NpgsqlParameter<int>("setting", SettingCode.From(change.Setting)));
            AddAudit(schedule.Parameters, audit);
            Add(batch, _sql.DropPlaceholder, tenant);
            var reader = await ExecuteLockedAsync(batch, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                SettingsUpdateResult result;
                if (Rejections(reader) is { } errors)
                {
                    result = SettingsUpdateResult.Rejected(errors, dryRun);
                }
                else if (reader.GetInt64(2) >= TwoFactorOptions.MaxPendingChanges)
                {
                    result = SettingsUpdateResult.Rejected([new SettingsError(SettingsErrorCode.TooManyScheduled)], dryRun);
                }
                else
                {
                    result = dryRun
                        ? SettingsUpdateResult.WouldApply(0)
                        : SettingsUpdateResult.ScheduledFor(new ScheduledChange(reader.GetInt64(3), change.EffectiveFrom, change.Kind, change.Setting, change.AccountIds));
                }

                await DrainAsync(reader, cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }

    public async ValueTask<IReadOnlyList<ScheduledChange>> ListScheduledAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _dataSource.CreateCommand(_listScheduled);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
            command.Parameters.Add(new NpgsqlParameter<long>("now", time.GetUtcNow().UtcTicks));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var changes = new List<ScheduledChange>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    changes.Add(new ScheduledChange(
                        reader.GetInt64(0),
                        new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero),
                        (ScheduledChangeKind)reader.GetInt16(2),
                        SettingCode.To(reader.GetInt32(3)),
                        reader.GetFieldValue<long[]>(4)));
                }

                return changes;
            }
        }
    }

    public async ValueTask<SettingsUpdateResult> CancelScheduledAsync(TenantId tenant, long changeId, AuditContext audit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var batch = _dataSource.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            AddLockTenant(batch, tenant);
            var cancel = Add(batch, _cancelScheduled, tenant);
            cancel.Parameters.Add(new NpgsqlParameter<long>("change", changeId));
            AddAudit(cancel.Parameters, audit);
            Add(batch, _sql.DropPlaceholder, tenant);
            var reader = await ExecuteLockedAsync(batch, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var result = reader.IsDBNull(0)
                    ? SettingsUpdateResult.Rejected([new SettingsError(SettingsErrorCode.NotFound, changeId)])
                    : SettingsUpdateResult.Applied(0, reader.GetInt64(0));
                await DrainAsync(reader, cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }

    /// <summary>Reads a tenant's settings: the first three columns, then its version and pending changes from <paramref name="at"/> on.</summary>
    private static TenantPolicy ReadTenant(NpgsqlDataReader reader, int at) =>
        new(SettingCode.To(reader.GetInt32(0)), SettingCode.To(reader.GetInt32(1)), reader.GetInt64(2))
        {
            Version = reader.GetInt64(at),
            Pending = reader.IsDBNull(at + 1) ? [] : ParsePending(reader.GetString(at + 1)),
        };

    /// <summary>Parses <see cref="PolicyStatements.PendingFor"/>'s array of [id, moment, kind, setting, ids].</summary>
    private static ScheduledChange[] ParsePending(string json)
    {
        using var document = JsonDocument.Parse(json);
        var changes = new ScheduledChange[document.RootElement.GetArrayLength()];
        var i = 0;
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var kind = (ScheduledChangeKind)item[2].GetInt16();
            changes[i++] = new ScheduledChange(
                item[0].GetInt64(),
                new DateTimeOffset(item[1].GetInt64(), TimeSpan.Zero),
                kind,
                SettingCode.To(item[3].GetInt32()),
                kind == (ScheduledChangeKind)SelectedKind ? item[4].EnumerateArray().Select(e => e.GetInt64()).ToArray() : null);
        }

        return changes;
    }
}
