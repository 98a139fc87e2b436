using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>
/// A challenge start's reads in one statement: <see cref="PolicyStatements.FindPrincipal"/> with the principal's
/// enrolment (<see cref="TotpStatements.GetEnrollment"/>'s columns) and its lockout row (<c>principal_lockouts</c>, for a
/// remembered device, which a lockout overrides) joined on, so a start is this and the create.
/// </summary>
internal sealed partial class PostgreSqlPolicyStore : IPrincipalStartStore
{
    // Sent with positional parameters (PositionalStatement), as the verify's statements are.
    private readonly PositionalStatement _findPrincipalForStart = PositionalStatement.Rewrite($"""
        SELECT t.default_setting, t.all_setting, t.all_version,
               p.kind, a.kind, a.principal_id, a.origin, a.is_demo, a.setting, a.source, a.version,
               e.active_secret, e.last_step, e.pending_secret, e.pending_expires_at, e.principal_id IS NOT NULL,
               t.version, {PolicyStatements.PendingFor(database.Schema, "a.principal_id")},
               l.failures, l.locked_until, l.last_sent_at
        FROM (SELECT @tenant::bigint AS tenant_id) AS k
        LEFT JOIN {database.Schema}.tenants AS t ON t.tenant_id = k.tenant_id
        LEFT JOIN {database.Schema}.principals AS p ON p.tenant_id = k.tenant_id AND p.principal_id = @id
        LEFT JOIN {database.Schema}.principals AS a ON a.tenant_id = k.tenant_id AND a.principal_id = COALESCE(p.account_id, p.principal_id)
        LEFT JOIN {database.Schema}.totp_enrollments AS e ON e.tenant_id = k.tenant_id AND e.principal_id = @id
        LEFT JOIN {database.Schema}.principal_lockouts AS l ON l.tenant_id = k.tenant_id AND l.principal_id = @id
        """);

    public async ValueTask<PrincipalStart> FindPrincipalForStartAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _dataSource.CreateCommand(_findPrincipalForStart.Text);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
            command.Parameters.Add(new NpgsqlParameter<long>("id", principalId));
            _findPrincipalForStart.Bind(command.Parameters);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var policy = await ReadPrincipalAsync(reader, principalId, 16, cancellationToken).ConfigureAwait(false);
                return new PrincipalStart(policy, reader.GetBoolean(15) ? PostgreSqlTotpStore.ReadEnrollment(reader, 11) : null)
                {
                    Lockout = reader.IsDBNull(18) ? default(PrincipalLockState) : PostgreSqlChallengeStore.ReadLockState(reader, 18),
                };
            }
        }
    }
}
