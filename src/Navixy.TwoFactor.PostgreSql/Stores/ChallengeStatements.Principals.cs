namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>
/// The statements that can leave a principal with nothing to remember. The in-memory store forgets such a principal
/// (no failures, no lockout, no challenge held), its last send included; these statements retire its row in the same
/// cases, so that a later start answers the same on both (a withdrawn start whose code could not be delivered does not
/// hold back the next one). Each runs after its batch's lock statement, so its snapshot holds every challenge a start of
/// the principal committed before the lock was granted.
/// </summary>
internal sealed partial class ChallengeStatements
{
    /// <summary>
    /// Deletes the challenge and, when its principal has no failures, no lockout and no other challenge, the principal's
    /// row. Two deletes of different tables in one statement; the principal comes from the challenge row, which never
    /// changes its principal.
    /// </summary>
    private static string RevokeStatement(string s) => $"""
            WITH retired AS (
                DELETE FROM {s}.principal_lockouts AS p
                WHERE p.tenant_id = @tenant
                  AND p.principal_id = (SELECT principal_id FROM {s}.challenges WHERE tenant_id = @tenant AND token_hash = @token)
                  AND p.failures = 0 AND p.locked_until IS NULL
                  AND NOT EXISTS (SELECT 1 FROM {s}.challenges AS c
                                  WHERE c.tenant_id = @tenant AND c.principal_id = p.principal_id AND c.token_hash <> @token)
            )
            DELETE FROM {s}.challenges WHERE tenant_id = @tenant AND token_hash = @token
            """;

    /// <summary>
    /// <see cref="Navixy.TwoFactor.Stores.SecondStepRules.Unlock"/>: no failures, no lockout, the last send kept while the
    /// principal holds a challenge. One row is either updated or deleted, never both in one statement.
    /// </summary>
    private static string ResetPrincipalStatement(string s) => $"""
            WITH held AS MATERIALIZED (
                SELECT EXISTS (SELECT 1 FROM {s}.challenges WHERE tenant_id = @tenant AND principal_id = @principal) AS any
            ), reset AS (
                UPDATE {s}.principal_lockouts AS p SET failures = 0, locked_until = NULL
                FROM held
                WHERE p.tenant_id = @tenant AND p.principal_id = @principal AND held.any
                  AND (p.failures > 0 OR p.locked_until IS NOT NULL)
                RETURNING true AS had
            ), retired AS (
                DELETE FROM {s}.principal_lockouts AS p
                USING held
                WHERE p.tenant_id = @tenant AND p.principal_id = @principal AND NOT held.any
                RETURNING p.failures > 0 OR p.locked_until IS NOT NULL AS had
            )
            SELECT COALESCE((SELECT had FROM reset), (SELECT had FROM retired), false)
            """;
}
