using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;
using Navixy.TwoFactor.Stores.Devices;
using Npgsql;
using NpgsqlTypes;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>
/// Remembered devices over PostgreSQL (<c>remembered_devices</c>, <c>remember_periods</c>). Each operation is one round
/// trip; honouring a token is one UPDATE that says <see cref="RememberedDeviceRule.IsHonoured"/> in its WHERE clause, so a
/// start with a remembered device costs the principal read and this. Forgetting and setting the period insert their audit
/// entry in the same statement (policy.md A2).
/// </summary>
internal sealed class PostgreSqlRememberedDeviceStore(PostgreSqlDatabase database) : IRememberedDeviceStore
{
    private readonly NpgsqlDataSource _dataSource = database.DataSource;

    // Adds of one principal serialise on an advisory lock (to the end of the batch's transaction), so the cap holds under
    // concurrent adds; the delete then sees every committed device of the principal and its own.
    private const string LockPrincipal = "SELECT pg_advisory_xact_lock(hashtextextended('Navixy.TwoFactor remembered devices ' || @tenant::text || ':' || @principal::text, 0))";

    private readonly string _add = $"""
        INSERT INTO {database.Schema}.remembered_devices (tenant_id, token_hash, principal_id, device_id, label, issued_at, setting_stamp)
        VALUES (@tenant, @hash, @principal, @device, @label, @issued, @stamp)
        """;

    private readonly string _dropOldest = $"""
        DELETE FROM {database.Schema}.remembered_devices AS d
        WHERE d.tenant_id = @tenant AND d.principal_id = @principal
          AND d.seq NOT IN (
              SELECT k.seq FROM {database.Schema}.remembered_devices AS k
              WHERE k.tenant_id = @tenant AND k.principal_id = @principal
              ORDER BY k.issued_at DESC, k.seq DESC
              LIMIT @max)
        """;

    private readonly string _use = $"""
        UPDATE {database.Schema}.remembered_devices AS d SET last_used_at = @now
        WHERE d.tenant_id = @tenant AND d.token_hash = @hash
          AND d.principal_id = @principal AND d.setting_stamp = @stamp
          AND EXISTS (SELECT 1 FROM {database.Schema}.remember_periods AS r
                      WHERE r.tenant_id = @tenant AND r.period > 0 AND @now < d.issued_at + r.period)
        """;

    private readonly string _list = $"""
        SELECT token_hash, device_id, label, issued_at, last_used_at, setting_stamp
        FROM {database.Schema}.remembered_devices
        WHERE tenant_id = @tenant AND principal_id = @principal
        ORDER BY issued_at, seq
        """;

    private readonly string _forget = $"""
        WITH del AS (
            DELETE FROM {database.Schema}.remembered_devices
            WHERE tenant_id = @tenant AND principal_id = @principal AND (@device::text IS NULL OR device_id = @device)
            RETURNING 1
        ), aud AS (
            INSERT INTO {database.Schema}.audit_entries (tenant_id, moment, actor, operation, principal_id, detail)
            SELECT @tenant, @moment, @actor, 9, @principal, @device
            WHERE @audited AND EXISTS (SELECT 1 FROM del)
        )
        SELECT count(*)::integer FROM del
        """;

    // RememberedDeviceRule.IsExpired in SQL, one bounded batch: the tenants holding devices are walked one index probe each
    // (a loose index scan, evaluated lazily, so a batch stops at the tenant that fills it), and per tenant the devices issued
    // at least its period ago are an index range (remembered_devices_issued_idx); a tenant without a period, or with zero,
    // loses all. Rows another session holds (a start recording a use, another node's purge) are skipped, not waited for.
    private readonly string _purge = $"""
        WITH RECURSIVE tenants (tenant_id) AS (
            (SELECT d.tenant_id FROM {database.Schema}.remembered_devices AS d ORDER BY d.tenant_id LIMIT 1)
            UNION ALL
            SELECT (SELECT d.tenant_id FROM {database.Schema}.remembered_devices AS d WHERE d.tenant_id > t.tenant_id ORDER BY d.tenant_id LIMIT 1)
            FROM tenants AS t WHERE t.tenant_id IS NOT NULL
        ), expired AS (
            SELECT x.tenant_id, x.token_hash
            FROM tenants AS t
            CROSS JOIN LATERAL (
                SELECT d.tenant_id, d.token_hash FROM {database.Schema}.remembered_devices AS d
                WHERE d.tenant_id = t.tenant_id
                  AND d.issued_at <= COALESCE(
                      (SELECT @now - r.period FROM {database.Schema}.remember_periods AS r WHERE r.tenant_id = t.tenant_id AND r.period > 0),
                      9223372036854775807)
                ORDER BY d.issued_at
                LIMIT @batch
                FOR UPDATE OF d SKIP LOCKED
            ) AS x
            WHERE t.tenant_id IS NOT NULL
            LIMIT @batch
        )
        DELETE FROM {database.Schema}.remembered_devices AS d USING expired
        WHERE d.tenant_id = expired.tenant_id AND d.token_hash = expired.token_hash
        """;

    private readonly string _getPeriod = $"SELECT period FROM {database.Schema}.remember_periods WHERE tenant_id = @tenant";

    private readonly string _setPeriod = $"""
        WITH up AS (
            INSERT INTO {database.Schema}.remember_periods AS r (tenant_id, period) VALUES (@tenant, @period)
            ON CONFLICT (tenant_id) DO UPDATE SET period = EXCLUDED.period
            RETURNING 1
        ), ended AS (
            DELETE FROM {database.Schema}.remembered_devices
            WHERE tenant_id = @tenant AND (@period <= 0 OR issued_at <= @moment - @period)
        )
        INSERT INTO {database.Schema}.audit_entries (tenant_id, moment, actor, operation, detail)
        SELECT @tenant, @moment, @actor, 10, @detail FROM up
        """;

    public async ValueTask AddAsync(RememberedDeviceRecord device, int maxPerPrincipal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerPrincipal);
        cancellationToken.ThrowIfCancellationRequested();
        var batch = _dataSource.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            PostgreSqlCommands.AddKeyed(batch, LockPrincipal, device.Tenant, device.PrincipalId);
            var add = PostgreSqlCommands.AddKeyed(batch, _add, device.Tenant, device.PrincipalId);
            add.Parameters.Add(new NpgsqlParameter<byte[]>("hash", device.TokenHash));
            add.Parameters.Add(new NpgsqlParameter<string>("device", device.DeviceId));
            add.Parameters.Add(new NpgsqlParameter("label", NpgsqlDbType.Text) { Value = (object?)device.Label ?? DBNull.Value });
            add.Parameters.Add(new NpgsqlParameter<long>("issued", device.IssuedAt.UtcTicks));
            add.Parameters.Add(new NpgsqlParameter<long>("stamp", device.SettingStamp));
            PostgreSqlCommands.AddKeyed(batch, _dropOldest, device.Tenant, device.PrincipalId).Parameters.Add(new NpgsqlParameter<int>("max", maxPerPrincipal));
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<bool> TryUseAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, long principalId, long settingStamp, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _dataSource.CreateCommand(_use);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
            command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("hash", tokenHash));
            command.Parameters.Add(new NpgsqlParameter<long>("principal", principalId));
            command.Parameters.Add(new NpgsqlParameter<long>("stamp", settingStamp));
            command.Parameters.Add(new NpgsqlParameter<long>("now", now.UtcTicks));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    public async ValueTask<IReadOnlyList<RememberedDeviceRecord>> ListAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _dataSource.CreateCommand(_list);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
            command.Parameters.Add(new NpgsqlParameter<long>("principal", principalId));
            var devices = new List<RememberedDeviceRecord>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    devices.Add(new RememberedDeviceRecord(
                        tenant,
                        principalId,
                        reader.GetFieldValue<byte[]>(0),
                        reader.GetString(1),
                        reader.IsDBNull(2) ? null : reader.GetString(2),
                        new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero),
                        reader.IsDBNull(4) ? null : new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero),
                        reader.GetInt64(5)));
                }
            }

            return devices;
        }
    }

    public async ValueTask<int> ForgetAsync(TenantId tenant, long principalId, string? deviceId, AuditContext? audit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _dataSource.CreateCommand(_forget);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
            command.Parameters.Add(new NpgsqlParameter<long>("principal", principalId));
            command.Parameters.Add(new NpgsqlParameter("device", NpgsqlDbType.Text) { Value = (object?)deviceId ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter<bool>("audited", audit is not null));
            PostgreSqlPolicyStore.AddAudit(command.Parameters, audit ?? default);
            return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    public async ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        cancellationToken.ThrowIfCancellationRequested();
        var command = _dataSource.CreateCommand(_purge);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<long>("now", now.UtcTicks));
            command.Parameters.Add(new NpgsqlParameter<int>("batch", batchSize));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask<TimeSpan> GetRememberPeriodAsync(TenantId tenant, CancellationToken cancellationToken) =>
        PostgreSqlCommands.ReadTenantPeriodAsync(_dataSource, _getPeriod, tenant, cancellationToken);

    public ValueTask SetRememberPeriodAsync(TenantId tenant, TimeSpan period, AuditContext audit, CancellationToken cancellationToken) =>
        PostgreSqlCommands.WriteTenantPeriodAsync(_dataSource, _setPeriod, tenant, period, audit, cancellationToken);
}
