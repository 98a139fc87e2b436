using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>An unlock and its audit-trail entry in one statement (policy.md A2): one round trip, as before the trail.</summary>
internal sealed partial class PostgreSqlChallengeStore : IAuditedPrincipalReset
{
    private readonly string _resetPrincipalAudited = AuditedReset(database.Schema);

    public async ValueTask<bool> ResetPrincipalAsync(TenantId tenant, long principalId, AuditContext audit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(tenant, nameof(tenant));

        var batch = PrincipalBatch(tenant, principalId, _sql.PrincipalLock, _resetPrincipalAudited);
        await using (batch.ConfigureAwait(false))
        {
            PostgreSqlPolicyStore.AddAudit(batch.BatchCommands[1].Parameters, audit);
            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return reader.GetBoolean(0);
            }
        }
    }

    /// <summary><see cref="ChallengeStatements.ResetPrincipal"/> with the entry inserted when it unlocked something.</summary>
    private static string AuditedReset(string s)
    {
        const string Answer = "SELECT COALESCE((SELECT had FROM reset), (SELECT had FROM retired), false)";
        var reset = new ChallengeStatements(s).ResetPrincipal;
        var end = reset.LastIndexOf(Answer, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new InvalidOperationException("The reset statement no longer ends with its answer.");
        }

        return reset[..end].TrimEnd()[..^1] + $"""
            ), aud AS (
                INSERT INTO {s}.audit_entries (tenant_id, moment, actor, operation, principal_id)
                SELECT @tenant, @moment, @actor, 8, @principal
                WHERE COALESCE((SELECT had FROM reset), (SELECT had FROM retired), false)
            )
            {Answer}
            """;
    }
}
