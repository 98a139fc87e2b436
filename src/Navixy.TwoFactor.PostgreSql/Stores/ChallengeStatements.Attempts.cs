using Navixy.TwoFactor.Stores;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>The statements that take an attempt: verify (an email code), reserve and settle (a code the engine checks).</summary>
internal sealed partial class ChallengeStatements
{
    /// <summary>
    /// The opening CTEs of every statement that decides on one challenge and its principal: <c>pl</c> locks the
    /// principal's row (found through the challenge's principal, which never changes), then <c>ch</c> locks the
    /// challenge's row and carries its <paramref name="columns"/> (of <c>c</c>) with the principal's
    /// <c>locked_until</c>. <c>ch</c> joins <c>pl</c>, so the principal's row is locked before the challenge's: a row
    /// leaves the join only once both sides were read, and the lock is taken above the join. The left join keeps a
    /// challenge whose principal's row was deleted by hand (then it answers as unlocked and a write makes the row again).
    /// No row in <c>ch</c>: the challenge is unknown (or was deleted meanwhile).
    /// </summary>
    private static string LockedChallenge(string schema, string columns) => $"""
            WITH pl AS MATERIALIZED (
                SELECT p.locked_until
                FROM {schema}.principal_lockouts AS p
                WHERE p.tenant_id = @tenant
                  AND p.principal_id = (SELECT principal_id FROM {schema}.challenges WHERE tenant_id = @tenant AND token_hash = @token)
                FOR NO KEY UPDATE OF p
            ), ch AS MATERIALIZED (
                SELECT c.principal_id, pl.locked_until, {columns}
                FROM {schema}.challenges AS c LEFT JOIN pl ON true
                WHERE c.tenant_id = @tenant AND c.token_hash = @token
                FOR NO KEY UPDATE OF c
            )
            """;

    /// <summary>
    /// <see cref="SecondStepRules.RefuseAttempt"/> up to the expiry check, as the first branches of a <c>CASE</c> over
    /// <c>ch</c> (which carries <c>consumed</c>, <c>attempts</c> and <c>live_pending</c>): consumed, then attempts used up
    /// (busy while some are still being evaluated), then <c>@now ≥ </c><paramref name="endsAt"/>, then the principal locked.
    /// </summary>
    private static string RefuseAttempt(string endsAt) => $"""
                       WHEN ch.consumed THEN {Code(ChallengeStoreOutcome.Consumed)}
                            WHEN ch.attempts >= @max_attempts THEN
                                 CASE WHEN ch.live_pending > 0 THEN {Code(ChallengeStoreOutcome.Busy)} ELSE {Code(ChallengeStoreOutcome.Locked)} END
                            WHEN @now >= {endsAt} THEN {Code(ChallengeStoreOutcome.Expired)}
                            WHEN ch.locked_until > @now THEN {Code(ChallengeStoreOutcome.PrincipalLocked)}
            """;

    /// <summary>
    /// The CTE <c>counted</c>: a pass (<c>dec.outcome</c> Passed) clears the principal's failures and lockout, a wrong code
    /// counts one failure and sets the lockout it earns (<see cref="ChallengeLimits.LockUntil"/>; a lockout already set
    /// stays when this failure earns none). Returns the failure count after it; nothing for a pass that found nothing to
    /// clear, which writes no new row version (the common pass). One data-modifying node: a plain update of the row plus
    /// an insert for a deleted one measured slower (every node of the plan is set up on each execution).
    /// </summary>
    private static string Counted(string schema) => $"""
            counted AS (
                -- The row exists (made by the challenge's start) and is locked above; the insert only stands in if it was
                -- deleted by hand. EXCLUDED.failures is 0 for a pass (reset) and 1 for a wrong code (one more failure).
                INSERT INTO {schema}.principal_lockouts AS p (tenant_id, principal_id, failures, locked_until)
                SELECT @tenant, dec.principal_id,
                       CASE WHEN dec.outcome = {Code(ChallengeStoreOutcome.Passed)} THEN 0 ELSE 1 END,
                       CASE WHEN dec.outcome = {Code(ChallengeStoreOutcome.WrongCode)} THEN {LockUntil("1")} END
                FROM dec
                WHERE dec.outcome IN ({Code(ChallengeStoreOutcome.Passed)}, {Code(ChallengeStoreOutcome.WrongCode)})
                ON CONFLICT (tenant_id, principal_id) DO UPDATE
                SET failures = CASE WHEN EXCLUDED.failures = 0 THEN 0 ELSE p.failures + 1 END,
                    locked_until = CASE WHEN EXCLUDED.failures = 0 THEN NULL
                                        ELSE COALESCE({LockUntil("p.failures + 1")}, p.locked_until) END
                WHERE EXCLUDED.failures <> 0 OR p.failures <> 0 OR p.locked_until IS NOT NULL
                RETURNING p.failures
            )
            """;

    /// <summary>
    /// <see cref="SecondStepRules.Verify"/>: decide in the rules' order; take the attempt (attempts + 1); a matching digest
    /// consumes the challenge (<c>consumed_at = @now</c>, the pass time) and resets the principal, a mismatch counts a
    /// failure. Reservations are left as they are: they belong to evaluations still running.
    /// </summary>
    private static string VerifyStatement(string s) => $"""
            {LockedChallenge(s, $"c.code_digest, c.code_expires_at, c.attempts, {LivePending("c")} AS live_pending, c.consumed_at IS NOT NULL AS consumed")},
            dec AS MATERIALIZED (
                SELECT ch.principal_id, ch.attempts, ch.locked_until,
                       CASE {RefuseAttempt("ch.code_expires_at")}
                            WHEN ch.code_digest = @digest THEN {Code(ChallengeStoreOutcome.Passed)}
                            ELSE {Code(ChallengeStoreOutcome.WrongCode)}
                       END AS outcome
                FROM ch
            ), spent AS (
                UPDATE {s}.challenges AS c
                SET attempts = c.attempts + 1,
                    consumed_at = CASE WHEN dec.outcome = {Code(ChallengeStoreOutcome.Passed)} THEN @now END
                FROM dec
                WHERE c.tenant_id = @tenant AND c.token_hash = @token
                  AND dec.outcome IN ({Code(ChallengeStoreOutcome.Passed)}, {Code(ChallengeStoreOutcome.WrongCode)})
                RETURNING c.attempts
            ), {Counted(s)}
            SELECT dec.outcome, dec.principal_id, dec.locked_until,
                   (SELECT attempts FROM spent),
                   (SELECT {LockUntil("counted.failures")} FROM counted)
            FROM dec
            """;

    /// <summary>
    /// <see cref="SecondStepRules.Reserve"/>: refuse as an attempt would be, otherwise attempts + 1 and one more pending
    /// evaluation (the live ones plus this), held for <see cref="SecondStepRules.PendingLease"/> from <c>@now</c>.
    /// </summary>
    private static string ReserveStatement(string s) => $"""
            {LockedChallenge(s, $"c.factor, c.code_expires_at, c.attempts, {LivePending("c")} AS live_pending, c.consumed_at IS NOT NULL AS consumed")},
            dec AS MATERIALIZED (
                SELECT ch.principal_id, ch.factor, ch.locked_until,
                       CASE {RefuseAttempt("ch.code_expires_at")}
                            ELSE {Code(ChallengeStoreOutcome.Reserved)}
                       END AS outcome
                FROM ch
            ), reserved AS (
                UPDATE {s}.challenges AS c
                SET attempts = c.attempts + 1,
                    pending = {LivePending("c")} + 1,
                    pending_until = @now + {PendingLeaseTicks}
                FROM dec
                WHERE c.tenant_id = @tenant AND c.token_hash = @token AND dec.outcome = {Code(ChallengeStoreOutcome.Reserved)}
                RETURNING c.attempts
            )
            SELECT dec.outcome, dec.principal_id, dec.factor, dec.locked_until, (SELECT attempts FROM reserved)
            FROM dec
            """;

    /// <summary>
    /// <see cref="SecondStepRules.Settle"/> for one settlement <paramref name="kind"/>: release one live reservation; then a
    /// consumed challenge answers Consumed and spends nothing; a release counts nothing and gives its attempt back; a wrong
    /// code counts a failure as verify does; a pass spends its proof (<see cref="SecondStepRules.MaySpendProof"/>) by the
    /// same conditional update as <see cref="TotpStatements.TryAdvanceStep"/> or <see cref="TotpStatements.MarkRecoveryCodeUsed"/>,
    /// and only when it changed a row (or the pass needs no proof) consumes the challenge and resets the principal; a proof
    /// a copy spent first answers Consumed. The spend reads <c>ch</c>, so it runs after both locks and never for a consumed
    /// or unknown challenge; a spend that waits for a concurrent one re-checks its condition on the row that one left.
    /// One text per kind, holding only the spend that kind runs: every plan node is set up on each execution, a
    /// data-modifying CTE even when its condition rules it out (docs/benchmarks.md, run E).
    /// </summary>
    private static string SettleStatement(string s, ChallengeSettlementKind kind)
    {
        // The spend finds its row by the key, through the challenge's principal (null for a consumed or unknown
        // challenge): with a join to ch instead the planner may scan the whole table first (measured on a small one).
        const string Unconsumed = "(SELECT ch.principal_id FROM ch WHERE NOT ch.consumed)";
        var spend = kind switch
        {
            ChallengeSettlementKind.PassWithTimeStep => $"""
                UPDATE {s}.totp_enrollments AS e SET last_step = @step
                WHERE e.tenant_id = @tenant AND e.principal_id = {Unconsumed}
                  AND e.last_step < @step AND e.active_secret = @secret
                RETURNING 1
                """,
            ChallengeSettlementKind.PassWithRecoveryCode => $"""
                UPDATE {s}.recovery_codes AS r SET used = true
                WHERE r.tenant_id = @tenant AND r.principal_id = {Unconsumed}
                  AND r.lookup_id = @lookup AND r.hash = @hash AND NOT r.used
                RETURNING 1
                """,
            _ => null,
        };

        // The outcome of a challenge not consumed.
        var outcome = kind switch
        {
            ChallengeSettlementKind.Release => $"ELSE {Code(ChallengeStoreOutcome.Released)}",
            ChallengeSettlementKind.WrongCode => $"ELSE {Code(ChallengeStoreOutcome.WrongCode)}",
            ChallengeSettlementKind.Pass => $"ELSE {Code(ChallengeStoreOutcome.Passed)}",
            _ when spend is not null => $"WHEN EXISTS (SELECT 1 FROM proof) THEN {Code(ChallengeStoreOutcome.Passed)} ELSE {Code(ChallengeStoreOutcome.Consumed)}",
            _ => $"ELSE {Code(ChallengeStoreOutcome.Consumed)}",
        };

        return $"""
            {LockedChallenge(s, "c.attempts, c.consumed_at IS NOT NULL AS consumed")},{(spend is null ? "" : $" proof AS ({spend}),")}
            dec AS MATERIALIZED (
                SELECT ch.principal_id, ch.attempts, ch.consumed,
                       CASE WHEN ch.consumed THEN {Code(ChallengeStoreOutcome.Consumed)}
                            {outcome}
                       END AS outcome
                FROM ch
            ), settled AS (
                UPDATE {s}.challenges AS c
                SET pending = GREATEST(0, {LivePending("c")} - 1),
                    -- A release, or a proof a copy spent first, evaluated no guess: it gives its attempt back.
                    attempts = CASE WHEN NOT dec.consumed AND dec.outcome IN ({Code(ChallengeStoreOutcome.Released)}, {Code(ChallengeStoreOutcome.Consumed)})
                                    THEN GREATEST(0, c.attempts - 1) ELSE c.attempts END,
                    consumed_at = CASE WHEN dec.outcome = {Code(ChallengeStoreOutcome.Passed)} THEN @now ELSE c.consumed_at END
                FROM dec
                WHERE c.tenant_id = @tenant AND c.token_hash = @token
            ), {Counted(s)}
            SELECT dec.outcome, dec.principal_id, dec.attempts, (SELECT {LockUntil("counted.failures")} FROM counted)
            FROM dec
            """;
    }
}
