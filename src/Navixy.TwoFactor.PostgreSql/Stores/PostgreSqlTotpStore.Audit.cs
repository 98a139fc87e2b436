using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>
/// Authenticator changes with their audit-trail entry in the same statement (policy.md A2): confirming an enrolment, and
/// removing it with the recovery codes (the user's disable or an administrator's reset) behind the recovery-code lock.
/// </summary>
internal sealed partial class PostgreSqlTotpStore : IAuditedAuthenticatorStore
{
    private readonly string _auditedActivate = $"""
        WITH upd AS (
            {new TotpStatements(database.Schema).ActivatePending}
            RETURNING 1
        ), aud AS (
            INSERT INTO {database.Schema}.audit_entries (tenant_id, moment, actor, operation, principal_id, factor)
            SELECT @tenant, @moment, @actor, @operation, @principal, @factor FROM upd
        )
        SELECT count(*)::integer FROM upd
        """;

    private readonly string _auditedDelete = $"""
        WITH e AS (
            DELETE FROM {database.Schema}.totp_enrollments WHERE tenant_id = @tenant AND principal_id = @principal RETURNING 1
        ), c AS (
            DELETE FROM {database.Schema}.recovery_codes WHERE tenant_id = @tenant AND principal_id = @principal RETURNING 1
        ), aud AS (
            INSERT INTO {database.Schema}.audit_entries (tenant_id, moment, actor, operation, principal_id, factor)
            SELECT @tenant, @moment, @actor, @operation, @principal, @factor
            WHERE EXISTS (SELECT 1 FROM e) OR EXISTS (SELECT 1 FROM c)
        )
        SELECT (SELECT count(*) FROM e)::integer, (SELECT count(*) FROM c)::integer
        """;

    public async ValueTask<bool> ActivatePendingAsync(TenantId tenant, long principalId, byte[] expectedPendingSecret, long acceptedStep, DateTimeOffset now, AuditContext audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expectedPendingSecret);
        var command = Command(_auditedActivate, tenant, principalId, cancellationToken);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<byte[]>("expected", expectedPendingSecret));
            command.Parameters.Add(new NpgsqlParameter<long>("step", acceptedStep));
            command.Parameters.Add(new NpgsqlParameter<long>("now", now.UtcTicks));
            AddAudit(command.Parameters, AuditOperation.EnrollmentAdded, audit);
            return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
        }
    }

    public async ValueTask<(bool Enrollment, int RecoveryCodes)> DeleteAuthenticatorAsync(TenantId tenant, long principalId, AuditOperation operation, AuditContext audit, CancellationToken cancellationToken)
    {
        var batch = _dataSource.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            CheckTenant(tenant);
            PostgreSqlCommands.AddKeyed(batch, _sql.LockRecoveryCodes, tenant, principalId);
            AddAudit(PostgreSqlCommands.AddKeyed(batch, _auditedDelete, tenant, principalId).Parameters, operation, audit);
            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return (reader.GetInt32(0) > 0, reader.GetInt32(1));
            }
        }
    }

    private static void AddAudit(NpgsqlParameterCollection parameters, AuditOperation operation, AuditContext audit)
    {
        PostgreSqlPolicyStore.AddAudit(parameters, audit);
        parameters.Add(new NpgsqlParameter<short>("operation", (short)operation));
        parameters.Add(new NpgsqlParameter<int>("factor", (int)FactorTypes.Totp));
    }
}
