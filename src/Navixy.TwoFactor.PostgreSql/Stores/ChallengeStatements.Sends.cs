using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>The statements that send a code: a start and a resend.</summary>
internal sealed partial class ChallengeStatements
{
    /// <summary>
    /// <see cref="SecondStepRules.Create"/>, run after <see cref="CreateLock"/> in the same transaction, so this statement's
    /// snapshot holds every challenge and send of the principal committed before the lock was granted, and nothing of the
    /// principal changes until it commits. A locked principal is refused; an email start within <c>@send_cooldown</c> of
    /// the principal's last send is refused too soon (compared as a difference, which cannot overflow); otherwise an email
    /// start records its send, the principal's oldest open challenges (not consumed, not ended) beyond <c>@max_open − 1</c>
    /// are deleted (<see cref="SecondStepRules.OpenChallengesToRevoke"/>; oldest by <c>created_at</c>, then by the order the
    /// starts took the lock) and the challenge is inserted. The insert has no conflict clause: a reused token hash is an
    /// error, and the error undoes the whole batch.
    /// </summary>
    private static string CreateStatement(string s) => $"""
            WITH pl AS MATERIALIZED (
                SELECT locked_until, last_sent_at FROM {s}.principal_lockouts
                WHERE tenant_id = @tenant AND principal_id = @principal
            ), dec AS MATERIALIZED (
                SELECT pl.locked_until, pl.last_sent_at,
                       CASE WHEN pl.locked_until > @created_at THEN {Code(ChallengeStoreOutcome.PrincipalLocked)}
                            WHEN @factor = {Factor(FactorTypes.Email)} AND @created_at - pl.last_sent_at < @send_cooldown
                                 THEN {Code(ChallengeStoreOutcome.TooSoon)}
                            ELSE {Code(ChallengeStoreOutcome.Created)}
                       END AS outcome
                FROM (VALUES (1)) AS one (x) LEFT JOIN pl ON true
            ), sent AS (
                UPDATE {s}.principal_lockouts AS p SET last_sent_at = @created_at
                FROM dec
                WHERE p.tenant_id = @tenant AND p.principal_id = @principal
                  AND dec.outcome = {Code(ChallengeStoreOutcome.Created)} AND @factor = {Factor(FactorTypes.Email)}
            ), revoked AS (
                DELETE FROM {s}.challenges AS c
                USING dec, (
                    SELECT token_hash FROM {s}.challenges
                    WHERE tenant_id = @tenant AND principal_id = @principal AND consumed_at IS NULL AND expires_at > @created_at
                    ORDER BY created_at DESC, seq DESC
                    OFFSET GREATEST(@max_open - 1, 0)
                ) AS old
                WHERE c.tenant_id = @tenant AND c.token_hash = old.token_hash AND c.consumed_at IS NULL
                  AND dec.outcome = {Code(ChallengeStoreOutcome.Created)} AND @max_open > 0
            ), ins AS (
                INSERT INTO {s}.challenges (tenant_id, token_hash, principal_id, factor, code_digest,
                                            created_at, code_expires_at, expires_at, resend_available_at)
                SELECT @tenant, @token, @principal, @factor, @digest, @created_at, @code_expires_at, @expires_at, @resend_at
                FROM dec
                WHERE dec.outcome = {Code(ChallengeStoreOutcome.Created)}
            )
            SELECT dec.outcome, dec.locked_until, dec.last_sent_at FROM dec
            """;

    /// <summary>
    /// <see cref="SecondStepRules.Resend"/>: a factor that sends nothing answers first; then the attempt's refusals with
    /// the challenge's end instead of the code's; then sends used up and the challenge's own cooldown. A replaced code keeps
    /// the attempt count and records the send on the principal's row (for the cooldown of later starts).
    /// </summary>
    private static string ReplaceCodeStatement(string s) => $"""
            {LockedChallenge(s, $"c.factor, c.attempts, {LivePending("c")} AS live_pending, c.consumed_at IS NOT NULL AS consumed, c.expires_at, c.sends, c.resend_available_at")},
            dec AS MATERIALIZED (
                SELECT ch.principal_id, ch.factor, ch.resend_available_at, ch.locked_until,
                       CASE WHEN ch.factor <> {Factor(FactorTypes.Email)} THEN {Code(ChallengeStoreOutcome.NoCodeToSend)}
                            {RefuseAttempt("ch.expires_at")}
                            WHEN ch.sends >= @max_sends THEN {Code(ChallengeStoreOutcome.SendLimitReached)}
                            WHEN @now < ch.resend_available_at THEN {Code(ChallengeStoreOutcome.TooSoon)}
                            ELSE {Code(ChallengeStoreOutcome.CodeReplaced)}
                       END AS outcome
                FROM ch
            ), replaced AS (
                UPDATE {s}.challenges AS c
                SET code_digest = @digest,
                    sends = c.sends + 1,
                    code_expires_at = LEAST(@code_expires_at, c.expires_at),
                    resend_available_at = @resend_at
                FROM dec
                WHERE c.tenant_id = @tenant AND c.token_hash = @token AND dec.outcome = {Code(ChallengeStoreOutcome.CodeReplaced)}
                RETURNING c.sends, c.code_expires_at, c.resend_available_at
            ), sent AS (
                -- The row is locked above; the insert only stands in if it was deleted by hand.
                INSERT INTO {s}.principal_lockouts AS p (tenant_id, principal_id, last_sent_at)
                SELECT @tenant, dec.principal_id, @now FROM dec WHERE dec.outcome = {Code(ChallengeStoreOutcome.CodeReplaced)}
                ON CONFLICT (tenant_id, principal_id) DO UPDATE SET last_sent_at = EXCLUDED.last_sent_at
            )
            SELECT dec.outcome, dec.principal_id, dec.locked_until, dec.resend_available_at,
                   replaced.sends, replaced.code_expires_at, replaced.resend_available_at, dec.factor
            FROM dec LEFT JOIN replaced ON true
            """;
}
