using System.Globalization;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>
/// The SQL of the challenge store for one schema: one statement per operation. Parameters: <c>@tenant</c>,
/// <c>@principal</c> bigint; <c>@token</c>, <c>@digest</c> bytea (32 bytes); times as bigint UTC ticks (<c>@now</c>,
/// <c>@created_at</c>, <c>@code_expires_at</c>, <c>@expires_at</c>, <c>@resend_at</c>); the limits <c>@max_attempts</c>,
/// <c>@max_sends</c>, <c>@threshold</c>, <c>@max_failures</c> integer and <c>@duration</c> bigint ticks;
/// <c>@passed_after</c> bigint ticks for step-up.
/// </summary>
/// <remarks>
/// <para>Verify, consume and resend first lock the challenge row, then the principal's row (always in that order, so
/// two statements never wait for each other in a circle); step-up redemption locks only the challenge row, a failure
/// outside a challenge only the principal's row, and find locks nothing. Under READ COMMITTED a locking read returns the latest
/// committed version of the row, so every decision is taken on current state; the writes that follow in the same
/// statement update the rows this statement holds. One principal's verifies therefore run one after the other on
/// every node, as under the in-memory store's per-principal lock: exactly one pass, at most <c>MaxAttempts</c>
/// evaluated per challenge, and the failure count and lockout never overshoot.</para>
/// <para>Outcomes are the <see cref="ChallengeStoreOutcome"/> numbers. Digests are compared in SQL with <c>=</c>;
/// they are keyed HMACs, so the time the comparison takes tells an attacker nothing (docs/security.md, item 10).</para>
/// </remarks>
internal sealed class ChallengeStatements
{
    /// <summary><see cref="DateTimeOffset.MaxValue"/> in ticks: locked until reset.</summary>
    private static readonly string MaxTicks = DateTimeOffset.MaxValue.UtcTicks.ToString(CultureInfo.InvariantCulture);

    /// <summary><see cref="ChallengeLimits.MaxLockoutDuration"/> in ticks.</summary>
    private static readonly string MaxLockoutTicks = ChallengeLimits.MaxLockoutDuration.Ticks.ToString(CultureInfo.InvariantCulture);

    public ChallengeStatements(string schema)
    {
        var s = schema;

        // The principal's lockout row is made here, with its first challenge, so that verify can lock it.
        Create = $"""
            WITH pl AS (
                SELECT locked_until FROM {s}.principal_lockouts
                WHERE tenant_id = @tenant AND principal_id = @principal AND locked_until > @created_at
            ), held AS (
                INSERT INTO {s}.principal_lockouts (tenant_id, principal_id) VALUES (@tenant, @principal)
                ON CONFLICT (tenant_id, principal_id) DO NOTHING
            ), ins AS (
                INSERT INTO {s}.challenges (tenant_id, token_hash, principal_id, factor, code_digest,
                                            created_at, code_expires_at, expires_at, resend_available_at)
                SELECT @tenant, @token, @principal, @factor, @digest, @created_at, @code_expires_at, @expires_at, @resend_at
                WHERE NOT EXISTS (SELECT 1 FROM pl)
                ON CONFLICT (tenant_id, token_hash) DO NOTHING
                RETURNING 1
            )
            SELECT (SELECT locked_until FROM pl), EXISTS (SELECT 1 FROM ins)
            """;

        Verify = Attempt(s, "ch.code_digest = @digest");

        // Verify without the digest: the engine checked the proof (an authenticator or recovery code) itself.
        Consume = Attempt(s, "true");

        // Verify's checks in its order, read-only: a plain read of one snapshot, no lock, nothing written.
        Find = $"""
            SELECT c.principal_id, c.factor, p.locked_until,
                   CASE WHEN c.consumed_at IS NOT NULL THEN {Code(ChallengeStoreOutcome.Consumed)}
                        WHEN c.attempts >= @max_attempts THEN {Code(ChallengeStoreOutcome.Locked)}
                        WHEN @now >= c.code_expires_at THEN {Code(ChallengeStoreOutcome.Expired)}
                        WHEN p.locked_until > @now THEN {Code(ChallengeStoreOutcome.PrincipalLocked)}
                        ELSE {Code(ChallengeStoreOutcome.Open)}
                   END
            FROM {s}.challenges AS c
            LEFT JOIN {s}.principal_lockouts AS p ON p.tenant_id = c.tenant_id AND p.principal_id = c.principal_id
            WHERE c.tenant_id = @tenant AND c.token_hash = @token
            """;

        // A conditional update of the challenge row alone: a concurrent redemption waits for the row and then finds
        // the flag set, so exactly one succeeds. consumed_at is the pass time (verify and consume write @now).
        RedeemStepUp = $"""
            UPDATE {s}.challenges SET step_up_redeemed = true
            WHERE tenant_id = @tenant AND token_hash = @token AND principal_id = @principal
              AND NOT step_up_redeemed AND consumed_at > @passed_after AND @now < expires_at
            """;

        // Locks the principal's row first, as verify does after the challenge, so the decision is taken on its latest
        // version. A principal that never started a challenge has no row yet: the insert makes it, and the guard on the
        // conflict path keeps a concurrent first failure from being counted while that one's lockout holds (then neither
        // CTE answers and the store runs the statement again, finding the row).
        RecordFailure = $"""
            WITH pl AS MATERIALIZED (
                SELECT locked_until FROM {s}.principal_lockouts
                WHERE tenant_id = @tenant AND principal_id = @principal
                FOR NO KEY UPDATE
            ), counted AS (
                INSERT INTO {s}.principal_lockouts AS p (tenant_id, principal_id, failures, locked_until)
                SELECT @tenant, @principal, 1, {LockUntil("1")}
                WHERE NOT EXISTS (SELECT 1 FROM pl WHERE locked_until > @now)
                ON CONFLICT (tenant_id, principal_id) DO UPDATE
                SET failures = p.failures + 1,
                    locked_until = COALESCE({LockUntil("p.failures + 1")}, p.locked_until)
                WHERE p.locked_until IS NULL OR p.locked_until <= @now
                RETURNING p.failures
            )
            SELECT (SELECT locked_until FROM pl), (SELECT failures FROM counted), (SELECT {LockUntil("counted.failures")} FROM counted)
            """;

        ReplaceCode = $"""
            WITH ch AS MATERIALIZED (
                SELECT principal_id, factor, attempts, consumed_at IS NOT NULL AS consumed, expires_at, sends, resend_available_at
                FROM {s}.challenges
                WHERE tenant_id = @tenant AND token_hash = @token
                FOR NO KEY UPDATE
            ), pl AS MATERIALIZED (
                SELECT p.locked_until
                FROM {s}.principal_lockouts AS p, ch
                WHERE p.tenant_id = @tenant AND p.principal_id = ch.principal_id
                FOR SHARE OF p
            ), dec AS MATERIALIZED (
                SELECT ch.principal_id, ch.factor, ch.resend_available_at, pl.locked_until,
                       CASE WHEN ch.factor <> {Factor(FactorTypes.Email)} THEN {Code(ChallengeStoreOutcome.NoCodeToSend)}
                            WHEN ch.consumed THEN {Code(ChallengeStoreOutcome.Consumed)}
                            WHEN ch.attempts >= @max_attempts THEN {Code(ChallengeStoreOutcome.Locked)}
                            WHEN @now >= ch.expires_at THEN {Code(ChallengeStoreOutcome.Expired)}
                            WHEN pl.locked_until > @now THEN {Code(ChallengeStoreOutcome.PrincipalLocked)}
                            WHEN ch.sends >= @max_sends THEN {Code(ChallengeStoreOutcome.SendLimitReached)}
                            WHEN @now < ch.resend_available_at THEN {Code(ChallengeStoreOutcome.TooSoon)}
                            ELSE {Code(ChallengeStoreOutcome.CodeReplaced)}
                       END AS outcome
                FROM ch LEFT JOIN pl ON true
            ), replaced AS (
                UPDATE {s}.challenges AS c
                SET code_digest = @digest,
                    sends = c.sends + 1,
                    code_expires_at = LEAST(@code_expires_at, c.expires_at),
                    resend_available_at = @resend_at
                FROM dec
                WHERE c.tenant_id = @tenant AND c.token_hash = @token AND dec.outcome = {Code(ChallengeStoreOutcome.CodeReplaced)}
                RETURNING c.sends, c.code_expires_at, c.resend_available_at
            )
            SELECT dec.outcome, dec.principal_id, dec.locked_until, dec.resend_available_at,
                   replaced.sends, replaced.code_expires_at, replaced.resend_available_at, dec.factor
            FROM dec LEFT JOIN replaced ON true
            """;

        Revoke = $"DELETE FROM {s}.challenges WHERE tenant_id = @tenant AND token_hash = @token";

        ResetPrincipal = $"""
            UPDATE {s}.principal_lockouts SET failures = 0, locked_until = NULL
            WHERE tenant_id = @tenant AND principal_id = @principal AND (failures > 0 OR locked_until IS NOT NULL)
            """;

        // Oldest first, through the expires_at index; rows another session holds right now (a verify, another node's
        // purge) are skipped and left for the next run, so purges on several nodes never wait for each other.
        PurgeExpired = $"""
            DELETE FROM {s}.challenges AS c
            USING (
                SELECT tenant_id, token_hash FROM {s}.challenges
                WHERE expires_at <= @now
                ORDER BY expires_at
                LIMIT @batch
                FOR UPDATE SKIP LOCKED
            ) AS e
            WHERE c.tenant_id = e.tenant_id AND c.token_hash = e.token_hash
            """;
    }

    /// <summary>Returns (the lockout that refused it or null, whether the challenge was inserted).</summary>
    public string Create { get; }

    /// <summary>
    /// Returns no row for an unknown challenge, else (outcome, principal, the principal's lockout when it refused,
    /// attempts after this one when evaluated, the lockout this wrong code set or null).
    /// </summary>
    public string Verify { get; }

    /// <summary>As <see cref="Verify"/>, without <c>@digest</c>: every open challenge passes.</summary>
    public string Consume { get; }

    /// <summary>Returns no row for an unknown challenge, else (principal, factor, the principal's lockout or null, outcome).</summary>
    public string Find { get; }

    /// <summary>Marks a passed challenge redeemed as step-up proof; the affected row count says whether this call did.</summary>
    public string RedeemStepUp { get; }

    /// <summary>
    /// Returns (the lockout that refused it or null, the failure count after this one or null when not counted, the
    /// lockout this failure set or null). Both first columns null: refused by a lockout the statement could not read; run it again.
    /// </summary>
    public string RecordFailure { get; }

    /// <summary>
    /// Returns no row for an unknown challenge, else (outcome, principal, the principal's lockout, the challenge's
    /// resend time before this call, and when replaced: sends, code expiry, next resend time; then the factor).
    /// </summary>
    public string ReplaceCode { get; }

    /// <summary>Deletes one challenge; the affected row count says whether it existed.</summary>
    public string Revoke { get; }

    /// <summary>Clears a principal's failures and lockout; the affected row count says whether there was any.</summary>
    public string ResetPrincipal { get; }

    /// <summary>Deletes up to <c>@batch</c> ended challenges; the affected row count says how many.</summary>
    public string PurgeExpired { get; }

    /// <summary>
    /// Verify and consume: lock the challenge row, then the principal's row; decide in the contract's order; reserve the
    /// attempt; pass when <paramref name="match"/> holds (consuming the challenge with <c>consumed_at = @now</c>, the pass
    /// time, and resetting the principal's failures), otherwise count a failure and set the lockout it earns.
    /// </summary>
    private static string Attempt(string schema, string match) => $"""
            WITH ch AS MATERIALIZED (
                SELECT principal_id, code_digest, code_expires_at, attempts, consumed_at IS NOT NULL AS consumed
                FROM {schema}.challenges
                WHERE tenant_id = @tenant AND token_hash = @token
                FOR NO KEY UPDATE
            ), pl AS MATERIALIZED (
                SELECT p.locked_until
                FROM {schema}.principal_lockouts AS p, ch
                WHERE p.tenant_id = @tenant AND p.principal_id = ch.principal_id
                FOR NO KEY UPDATE OF p
            ), dec AS MATERIALIZED (
                SELECT ch.principal_id, ch.attempts, pl.locked_until,
                       CASE WHEN ch.consumed THEN {Code(ChallengeStoreOutcome.Consumed)}
                            WHEN ch.attempts >= @max_attempts THEN {Code(ChallengeStoreOutcome.Locked)}
                            WHEN @now >= ch.code_expires_at THEN {Code(ChallengeStoreOutcome.Expired)}
                            WHEN pl.locked_until > @now THEN {Code(ChallengeStoreOutcome.PrincipalLocked)}
                            WHEN {match} THEN {Code(ChallengeStoreOutcome.Passed)}
                            ELSE {Code(ChallengeStoreOutcome.WrongCode)}
                       END AS outcome
                FROM ch LEFT JOIN pl ON true
            ), spent AS (
                UPDATE {schema}.challenges AS c
                SET attempts = c.attempts + 1,
                    consumed_at = CASE WHEN dec.outcome = {Code(ChallengeStoreOutcome.Passed)} THEN @now END
                FROM dec
                WHERE c.tenant_id = @tenant AND c.token_hash = @token
                  AND dec.outcome IN ({Code(ChallengeStoreOutcome.Passed)}, {Code(ChallengeStoreOutcome.WrongCode)})
                RETURNING c.attempts
            ), counted AS (
                -- The row exists (made with the challenge) and is locked above; the insert only stands in if it was
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
                RETURNING p.failures
            )
            SELECT dec.outcome, dec.principal_id, dec.locked_until,
                   (SELECT attempts FROM spent),
                   (SELECT {LockUntil("counted.failures")} FROM counted)
            FROM dec
            """;

    private static string Code(ChallengeStoreOutcome outcome) => ((int)outcome).ToString(CultureInfo.InvariantCulture);

    private static string Factor(FactorTypes factor) => ((int)factor).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// <see cref="ChallengeLimits.LockUntil"/> in SQL, for the failure count <paramref name="failures"/> and <c>@now</c>:
    /// locked until reset (<see cref="DateTimeOffset.MaxValue"/>) from <c>@max_failures</c> on; at every k-th multiple
    /// of <c>@threshold</c>, <c>@now + @duration × 2^(k−1)</c> capped at <see cref="ChallengeLimits.MaxLockoutDuration"/>
    /// (computed in numeric, which cannot overflow; an exponent above 64 already exceeds the cap for any duration of at
    /// least one tick) and at <see cref="DateTimeOffset.MaxValue"/>; otherwise null.
    /// </summary>
    internal static string LockUntil(string failures) => $"""
        (CASE WHEN ({failures}) >= @max_failures THEN {MaxTicks}::bigint
              WHEN @threshold <= 0 OR ({failures}) <= 0 OR ({failures}) % @threshold <> 0 THEN NULL::bigint
              ELSE (SELECT CASE WHEN {MaxTicks}::bigint - @now <= d.ticks THEN {MaxTicks}::bigint ELSE @now + d.ticks END
                    FROM (SELECT LEAST({MaxLockoutTicks}::numeric,
                                       @duration::numeric * power(2::numeric, LEAST(({failures}) / @threshold - 1, 64)))::bigint AS ticks) AS d)
         END)
        """;
}
