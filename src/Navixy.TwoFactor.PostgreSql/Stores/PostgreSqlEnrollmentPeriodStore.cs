using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;
using Navixy.TwoFactor.Stores.EnrollmentPeriods;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>
/// Enrolment periods over PostgreSQL (<c>enrollment_periods</c>, <c>enrollment_period_starts</c>; policy.md G1). Each
/// operation is one statement. Setting the period and an audited clear insert their audit entry in the same statement (A2).
/// Beginning a principal's period inserts its start unless one is there; when a concurrent start got there first, the
/// conflict clause takes that row and returns it, so every start, on any node, answers the one start on record.
/// </summary>
internal sealed class PostgreSqlEnrollmentPeriodStore(PostgreSqlDatabase database) : IEnrollmentPeriodStore
{
    private readonly NpgsqlDataSource _dataSource = database.DataSource;

    private readonly string _getPeriod = $"SELECT period FROM {database.Schema}.enrollment_periods WHERE tenant_id = @tenant";

    private readonly string _setPeriod = $"""
        WITH up AS (
            INSERT INTO {database.Schema}.enrollment_periods (tenant_id, period) VALUES (@tenant, @period)
            ON CONFLICT (tenant_id) DO UPDATE SET period = EXCLUDED.period
            RETURNING 1
        )
        INSERT INTO {database.Schema}.audit_entries (tenant_id, moment, actor, operation, detail)
        SELECT @tenant, @moment, @actor, {(int)AuditOperation.EnrollmentPeriodChanged}, @detail FROM up
        """;

    // EnrollmentPeriodRule in SQL: a start is recorded only while the tenant's period is positive (Starts), once. The insert
    // runs only when this statement's snapshot shows no start; if a concurrent start inserted one meanwhile, DO UPDATE waits
    // for it and returns the committed row (a plain read of the snapshot would not see it).
    private readonly string _begin = $"""
        WITH p AS (
            SELECT period FROM {database.Schema}.enrollment_periods WHERE tenant_id = @tenant
        ), seen AS (
            SELECT started_at FROM {database.Schema}.enrollment_period_starts WHERE tenant_id = @tenant AND principal_id = @principal
        ), ins AS (
            INSERT INTO {database.Schema}.enrollment_period_starts AS s (tenant_id, principal_id, started_at)
            SELECT @tenant, @principal, @now FROM p WHERE p.period > 0 AND NOT EXISTS (SELECT 1 FROM seen)
            ON CONFLICT (tenant_id, principal_id) DO UPDATE SET started_at = s.started_at
            RETURNING s.started_at
        )
        SELECT COALESCE((SELECT period FROM p), 0), COALESCE((SELECT started_at FROM ins), (SELECT started_at FROM seen))
        """;

    private readonly string _clear = $"""
        WITH del AS (
            DELETE FROM {database.Schema}.enrollment_period_starts WHERE tenant_id = @tenant AND principal_id = @principal
            RETURNING 1
        ), aud AS (
            INSERT INTO {database.Schema}.audit_entries (tenant_id, moment, actor, operation, principal_id, factor)
            SELECT @tenant, @moment, @actor, {(int)AuditOperation.AdminReset}, @principal, {(int)FactorTypes.Totp}
            WHERE @audited AND EXISTS (SELECT 1 FROM del)
        )
        SELECT EXISTS (SELECT 1 FROM del)
        """;

    public ValueTask<TimeSpan> GetPeriodAsync(TenantId tenant, CancellationToken cancellationToken) =>
        PostgreSqlCommands.ReadTenantPeriodAsync(_dataSource, _getPeriod, tenant, cancellationToken);

    public ValueTask SetPeriodAsync(TenantId tenant, TimeSpan period, AuditContext audit, CancellationToken cancellationToken) =>
        PostgreSqlCommands.WriteTenantPeriodAsync(_dataSource, _setPeriod, tenant, period, audit, cancellationToken);

    public async ValueTask<EnrollmentPeriodState> BeginAsync(TenantId tenant, long principalId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _dataSource.CreateCommand(_begin);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
            command.Parameters.Add(new NpgsqlParameter<long>("principal", principalId));
            command.Parameters.Add(new NpgsqlParameter<long>("now", now.UtcTicks));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return new EnrollmentPeriodState(
                    TimeSpan.FromTicks(reader.GetInt64(0)),
                    reader.IsDBNull(1) ? null : new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero));
            }
        }
    }

    public async ValueTask<bool> ClearStartAsync(TenantId tenant, long principalId, AuditContext? audit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _dataSource.CreateCommand(_clear);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
            command.Parameters.Add(new NpgsqlParameter<long>("principal", principalId));
            command.Parameters.Add(new NpgsqlParameter<bool>("audited", audit is not null));
            PostgreSqlPolicyStore.AddAudit(command.Parameters, audit ?? default);
            return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }
}
