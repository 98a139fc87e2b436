using System.Globalization;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>
/// The SQL of the challenge store for one schema: one statement per operation, except that a start, a revocation, an
/// unlock and the removal of a principal are batches (one round trip, one transaction) that lock the principal's row in
/// their first statement. Parameters: <c>@tenant</c>, <c>@principal</c> bigint; <c>@token</c>, <c>@digest</c> bytea (32 bytes); times as bigint
/// UTC ticks (<c>@now</c>, <c>@created_at</c>, <c>@code_expires_at</c>, <c>@expires_at</c>, <c>@resend_at</c>); the limits
/// <c>@max_attempts</c>, <c>@max_sends</c>, <c>@max_open</c>, <c>@threshold</c>, <c>@max_failures</c> integer and
/// <c>@duration</c>, <c>@send_cooldown</c> bigint ticks; <c>@passed_after</c> bigint ticks for step-up; a settlement's
/// proof, <c>@secret</c> bytea and <c>@step</c> bigint (a time-step pass), or <c>@lookup</c> text and <c>@hash</c> bytea
/// (a recovery-code pass); null when the settlement carries none.
/// </summary>
/// <remarks>
/// <para>Every decision is the one <see cref="SecondStepRules"/> takes, in its order, on the rows' latest committed
/// versions. One principal's operations serialise on its <c>principal_lockouts</c> row, as under the in-memory store's
/// per-principal lock. Lock order: the principal's row first, then challenge rows, then an enrolment or recovery-code
/// row (a settlement's spend). A start must hold the principal's row before it deletes the principal's oldest open
/// challenges, so verify, reserve, settle, resend, revoke, unlock and removal take it before any challenge row too, and
/// two statements never wait for each other in a circle. Step-up redemption and purge lock only challenge rows, a
/// failure outside a challenge only the principal's row, and find locks nothing.</para>
/// <para>Under READ COMMITTED a locking read returns the latest committed version of the row it waited for, but the
/// rest of the statement reads the snapshot taken when the statement began. That is enough where the decision reads
/// only the locked rows (verify, reserve, settle, resend). A start also counts the principal's open challenges, which a
/// concurrent start may have added while this one waited; so a start locks the row in one statement and decides in the
/// next, whose snapshot is taken once the lock is held. Revoke, unlock and removal likewise, so that they see every
/// challenge of the principal when they decide whether its row has anything left to remember.</para>
/// <para>Outcomes are the <see cref="ChallengeStoreOutcome"/> numbers. Digests are compared in SQL with <c>=</c>;
/// they are keyed HMACs, so the time the comparison takes tells an attacker nothing (docs/security.md, item 10).</para>
/// </remarks>
internal sealed partial class ChallengeStatements
{
    /// <summary><see cref="DateTimeOffset.MaxValue"/> in ticks: locked until reset.</summary>
    private static readonly string MaxTicks = DateTimeOffset.MaxValue.UtcTicks.ToString(CultureInfo.InvariantCulture);

    /// <summary><see cref="ChallengeLimits.MaxLockoutDuration"/> in ticks.</summary>
    private static readonly string MaxLockoutTicks = ChallengeLimits.MaxLockoutDuration.Ticks.ToString(CultureInfo.InvariantCulture);

    /// <summary><see cref="SecondStepRules.PendingLease"/> in ticks.</summary>
    private static readonly string PendingLeaseTicks = SecondStepRules.PendingLease.Ticks.ToString(CultureInfo.InvariantCulture);

    /// <summary>The settle statements, indexed by <see cref="ChallengeSettlementKind"/>.</summary>
    private readonly PositionalStatement[] _settle;

    public ChallengeStatements(string schema)
    {
        var s = schema;

        // Takes the principal's row (making it for a first start) and holds it to the end of the batch. ON CONFLICT DO
        // UPDATE locks the existing row even when its WHERE lets nothing be written, and waits for a concurrent first
        // start's insert to commit; it is therefore the one statement that both makes and locks the row.
        CreateLock = PositionalStatement.Rewrite($"""
            INSERT INTO {s}.principal_lockouts AS p (tenant_id, principal_id) VALUES (@tenant, @principal)
            ON CONFLICT (tenant_id, principal_id) DO UPDATE SET failures = p.failures WHERE false
            """);

        // The statements of a start and a verify are sent with positional parameters (PositionalStatement): Npgsql would
        // parse and rewrite these long texts on every call otherwise.
        Create = PositionalStatement.Rewrite(CreateStatement(s));
        Verify = PositionalStatement.Rewrite(VerifyStatement(s));
        Reserve = PositionalStatement.Rewrite(ReserveStatement(s));
        ReservedEnrollment = PositionalStatement.Rewrite(ReservedEnrollmentStatement(s));
        ReservedRecoveryCodes = PositionalStatement.Rewrite(ReservedRecoveryCodesStatement(s));
        _settle = [.. Enum.GetValues<ChallengeSettlementKind>().Order().Select(kind => PositionalStatement.Rewrite(SettleStatement(s, kind)))];
        ReplaceCode = ReplaceCodeStatement(s);

        // Verify's checks in its order, read-only: a plain read of one snapshot, no lock, nothing written. Reservations
        // still being evaluated leave the challenge open (an attempt could follow their settlement).
        Find = $"""
            SELECT c.principal_id, c.factor, p.locked_until,
                   CASE WHEN c.consumed_at IS NOT NULL THEN {Code(ChallengeStoreOutcome.Consumed)}
                        WHEN c.attempts >= @max_attempts THEN
                             CASE WHEN {LivePending("c")} > 0 THEN {Code(ChallengeStoreOutcome.Open)} ELSE {Code(ChallengeStoreOutcome.Locked)} END
                        WHEN @now >= c.code_expires_at THEN {Code(ChallengeStoreOutcome.Expired)}
                        WHEN p.locked_until > @now THEN {Code(ChallengeStoreOutcome.PrincipalLocked)}
                        ELSE {Code(ChallengeStoreOutcome.Open)}
                   END
            FROM {s}.challenges AS c
            LEFT JOIN {s}.principal_lockouts AS p ON p.tenant_id = c.tenant_id AND p.principal_id = c.principal_id
            WHERE c.tenant_id = @tenant AND c.token_hash = @token
            """;

        // A conditional update of the challenge row alone: a concurrent redemption waits for the row and then finds
        // the flag set, so exactly one succeeds. consumed_at is the pass time (verify and settle write @now).
        RedeemStepUp = $"""
            UPDATE {s}.challenges SET step_up_redeemed = true
            WHERE tenant_id = @tenant AND token_hash = @token AND principal_id = @principal
              AND NOT step_up_redeemed AND consumed_at > @passed_after AND @now < expires_at
            """;

        // Locks the principal's row, so the decision is taken on its latest version. A principal that never started a
        // challenge (or was removed) has no row: the insert makes it, and the guard on the conflict path keeps a
        // concurrent first failure from being counted while that one's lockout holds (then neither CTE answers and the
        // store runs the statement again, finding the row).
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

        RevokeLock = $"""
            SELECT 1 FROM {s}.principal_lockouts
            WHERE tenant_id = @tenant
              AND principal_id = (SELECT principal_id FROM {s}.challenges WHERE tenant_id = @tenant AND token_hash = @token)
            FOR UPDATE
            """;
        Revoke = RevokeStatement(s);
        PrincipalLock = $"""
            SELECT 1 FROM {s}.principal_lockouts WHERE tenant_id = @tenant AND principal_id = @principal FOR UPDATE
            """;
        ResetPrincipal = ResetPrincipalStatement(s);
        RemovePrincipalChallenges = $"DELETE FROM {s}.challenges WHERE tenant_id = @tenant AND principal_id = @principal";
        RemovePrincipalRow = $"DELETE FROM {s}.principal_lockouts WHERE tenant_id = @tenant AND principal_id = @principal";

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

    /// <summary>The first statement of a start's batch: makes the principal's row if missing and locks it; returns nothing.</summary>
    public PositionalStatement CreateLock { get; }

    /// <summary>
    /// The second statement of a start's batch: returns (outcome, the principal's lockout, its last send). A reused token
    /// hash fails with a unique violation on <c>challenges_pkey</c>, which undoes the batch.
    /// </summary>
    public PositionalStatement Create { get; }

    /// <summary>
    /// Returns no row for an unknown challenge, else (outcome, principal, the principal's lockout when it refused,
    /// attempts after this one when evaluated, the lockout this wrong code set or null).
    /// </summary>
    public PositionalStatement Verify { get; }

    /// <summary>Returns no row for an unknown challenge, else (outcome, principal, factor, the principal's lockout, attempts after a reservation).</summary>
    public PositionalStatement Reserve { get; }

    /// <summary>
    /// The settle statement of <paramref name="kind"/>: returns no row for an unknown challenge, else (outcome, principal,
    /// attempts, the lockout a wrong code set or null).
    /// </summary>
    /// <param name="kind">The settlement's kind; it selects the statement, which takes no parameter for it.</param>
    public PositionalStatement Settle(ChallengeSettlementKind kind) => _settle[(int)kind];

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

    /// <summary>The first statement of a revocation's batch: locks the row of the challenge's principal, if any.</summary>
    public string RevokeLock { get; }

    /// <summary>
    /// The second statement of a revocation's batch: deletes the challenge (the affected row count says whether it
    /// existed) and retires its principal's row when nothing is left to remember.
    /// </summary>
    public string Revoke { get; }

    /// <summary>The first statement of an unlock's or a removal's batch: locks the principal's row, if any.</summary>
    public string PrincipalLock { get; }

    /// <summary>
    /// The second statement of an unlock's batch: clears the principal's failures and lockout, or retires its row when
    /// it holds no challenge; returns whether there was a failure or a lockout to clear.
    /// </summary>
    public string ResetPrincipal { get; }

    /// <summary>Deletes every challenge of the principal; the affected row count says how many.</summary>
    public string RemovePrincipalChallenges { get; }

    /// <summary>Deletes the principal's row (failures, lockout, last send); the affected row count says whether there was one.</summary>
    public string RemovePrincipalRow { get; }

    /// <summary>Deletes up to <c>@batch</c> ended challenges; the affected row count says how many.</summary>
    public string PurgeExpired { get; }

    /// <summary>
    /// <see cref="ChallengeLimits.LockUntil"/> in SQL, for the failure count <paramref name="failures"/> and <c>@now</c>:
    /// locked until reset (<see cref="DateTimeOffset.MaxValue"/>) from <c>@max_failures</c> on; at every k-th multiple
    /// of <c>@threshold</c>, <c>@now + @duration × 2^(k−1)</c> capped at <see cref="ChallengeLimits.MaxLockoutDuration"/>
    /// (computed in numeric, which cannot overflow; an exponent above 64 already exceeds the cap for any duration of at
    /// least one tick) and at <see cref="DateTimeOffset.MaxValue"/>; otherwise null. One expression without a subquery: it
    /// appears several times in the verify and settle statements, and each subquery was a plan node every execution set up.
    /// </summary>
    internal static string LockUntil(string failures) => $"""
        (CASE WHEN ({failures}) >= @max_failures THEN {MaxTicks}::bigint
              WHEN @threshold <= 0 OR ({failures}) <= 0 OR ({failures}) % @threshold <> 0 THEN NULL::bigint
              ELSE LEAST({MaxTicks}::numeric,
                         @now::numeric + LEAST({MaxLockoutTicks}::numeric,
                                               @duration::numeric * power(2::numeric, LEAST(({failures}) / @threshold - 1, 64))))::bigint
         END)
        """;

    /// <summary><see cref="ChallengeState.LivePending"/> of the challenge row aliased <paramref name="row"/> at <c>@now</c>.</summary>
    private static string LivePending(string row) =>
        $"(CASE WHEN {row}.pending > 0 AND @now < {row}.pending_until THEN {row}.pending ELSE 0 END)";

    private static string Code(ChallengeStoreOutcome outcome) => ((int)outcome).ToString(CultureInfo.InvariantCulture);


    private static string Factor(FactorTypes factor) => ((int)factor).ToString(CultureInfo.InvariantCulture);
}
