namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>
/// The SQL of the authenticator stores for one schema: one statement per operation. Parameters: <c>@tenant</c>,
/// <c>@principal</c> bigint; protected secrets <c>@secret</c>, <c>@expected</c> bytea; <c>@step</c> bigint (an RFC 6238
/// time step); <c>@now</c>, <c>@expires_at</c> bigint UTC ticks; recovery codes as <c>@lookup</c> text, <c>@hash</c> bytea,
/// and for a whole set the parallel arrays <c>@lookups</c> text[], <c>@hashes</c>, <c>@salts</c> bytea[], <c>@iterations</c> integer[].
/// </summary>
/// <remarks>
/// Every operation is one statement, except that replacing and deleting a principal's recovery codes is one batch (one
/// round trip, one transaction) that takes a per-principal lock first. Replays and double confirmations are refused by
/// conditional updates: under READ COMMITTED a second update of a row
/// waits for the first to commit, then evaluates its <c>WHERE</c> again on the row as the first left it, so of concurrent
/// calls with the same step (or the same pending secret, or the same recovery code) exactly one changes the row. Blobs are
/// compared with <c>=</c>: they are AES-GCM ciphertexts the engine read from this table a moment earlier, not values an
/// attacker chooses, so the comparison's timing reveals nothing.
/// </remarks>
internal sealed class TotpStatements
{
    public TotpStatements(string schema)
    {
        var s = schema;

        GetEnrollment = $"""
            SELECT active_secret, last_step, pending_secret, pending_expires_at
            FROM {s}.totp_enrollments
            WHERE tenant_id = @tenant AND principal_id = @principal
            """;

        SavePending = $"""
            INSERT INTO {s}.totp_enrollments (tenant_id, principal_id, pending_secret, pending_expires_at)
            VALUES (@tenant, @principal, @secret, @expires_at)
            ON CONFLICT (tenant_id, principal_id) DO UPDATE
            SET pending_secret = EXCLUDED.pending_secret, pending_expires_at = EXCLUDED.pending_expires_at
            """;

        ActivatePending = $"""
            UPDATE {s}.totp_enrollments
            SET active_secret = pending_secret, last_step = @step, pending_secret = NULL, pending_expires_at = NULL
            WHERE tenant_id = @tenant AND principal_id = @principal
              AND pending_secret = @expected AND @now < pending_expires_at
            """;

        TryAdvanceStep = $"""
            UPDATE {s}.totp_enrollments SET last_step = @step
            WHERE tenant_id = @tenant AND principal_id = @principal
              AND last_step < @step AND active_secret = @expected
            """;

        // Key re-wrap (security.md item 36): a page by primary key (an index range scan, no lock), and a swap of one row.
        ListActiveSecrets = $"""
            SELECT tenant_id, principal_id, active_secret
            FROM {s}.totp_enrollments
            WHERE active_secret IS NOT NULL
              AND (@tenant_only IS NULL OR tenant_id = @tenant_only)
              AND (tenant_id, principal_id) > (@after_tenant, @after_principal)
            ORDER BY tenant_id, principal_id
            LIMIT @limit
            """;

        ReplaceActiveSecret = $"""
            UPDATE {s}.totp_enrollments SET active_secret = @secret
            WHERE tenant_id = @tenant AND principal_id = @principal AND active_secret = @expected
            """;

        DeleteEnrollment = $"DELETE FROM {s}.totp_enrollments WHERE tenant_id = @tenant AND principal_id = @principal";

        // Replace and delete-all run as one batch (one round trip, one transaction) behind this lock, so that two of them
        // for one principal run one after the other and a replace never leaves a mix of two sets: each statement of the
        // batch reads the rows committed when it starts, so the delete after the lock sees every code the other wrote.
        LockRecoveryCodes = $"""
            SELECT pg_advisory_xact_lock(hashtextextended('Navixy.TwoFactor recovery codes {s} ' || @tenant || ' ' || @principal, 0))
            """;

        // A statement of its own after the delete, so that a new code equal to an old one (the same lookup id and hash)
        // meets only a deleted row.
        InsertRecoveryCodes = $"""
            INSERT INTO {s}.recovery_codes (tenant_id, principal_id, lookup_id, hash, salt, iterations)
            SELECT @tenant, @principal, c.lookup_id, c.hash, c.salt, c.iterations
            FROM unnest(@lookups, @hashes, @salts, @iterations) AS c (lookup_id, hash, salt, iterations)
            ON CONFLICT DO NOTHING
            """;

        FindUnusedRecoveryCodes = $"""
            SELECT lookup_id, salt, hash, iterations
            FROM {s}.recovery_codes
            WHERE tenant_id = @tenant AND principal_id = @principal AND lookup_id = @lookup AND NOT used
            """;

        FindUsedRecoveryCodes = $"""
            SELECT lookup_id, salt, hash, iterations
            FROM {s}.recovery_codes
            WHERE tenant_id = @tenant AND principal_id = @principal AND lookup_id = @lookup AND used
            """;

        MarkRecoveryCodeUsed = $"""
            UPDATE {s}.recovery_codes SET used = true
            WHERE tenant_id = @tenant AND principal_id = @principal AND lookup_id = @lookup AND hash = @hash AND NOT used
            """;

        CountUnusedRecoveryCodes = $"""
            SELECT count(*)::integer FROM {s}.recovery_codes
            WHERE tenant_id = @tenant AND principal_id = @principal AND NOT used
            """;

        DeleteRecoveryCodes = $"DELETE FROM {s}.recovery_codes WHERE tenant_id = @tenant AND principal_id = @principal";
    }

    /// <summary>Returns no row, or (active secret, last step, pending secret, pending expiry), each possibly null.</summary>
    public string GetEnrollment { get; }

    /// <summary>Upserts the pending secret and its expiry; leaves the active secret and its step alone.</summary>
    public string SavePending { get; }

    /// <summary>Activates the pending secret if it is still <c>@expected</c> and unexpired; the affected row count says whether it did.</summary>
    public string ActivatePending { get; }

    /// <summary>Records <c>@step</c> if later than the last one and the active secret is still <c>@expected</c>; the affected row count says whether it did.</summary>
    public string TryAdvanceStep { get; }

    /// <summary>Returns up to <c>@limit</c> (tenant, principal, active secret) after (<c>@after_tenant</c>, <c>@after_principal</c>), of <c>@tenant_only</c> or every tenant.</summary>
    public string ListActiveSecrets { get; }

    /// <summary>Swaps the active secret for <c>@secret</c> if it is still <c>@expected</c>; the affected row count says whether it did.</summary>
    public string ReplaceActiveSecret { get; }

    /// <summary>Deletes the enrolment; the affected row count says whether there was one.</summary>
    public string DeleteEnrollment { get; }

    /// <summary>Takes the principal's recovery-code lock until the transaction ends; first in a replace or delete-all batch.</summary>
    public string LockRecoveryCodes { get; }

    /// <summary>Inserts a set of codes (after <see cref="DeleteRecoveryCodes"/> in a replace batch); a repeated code is kept once.</summary>
    public string InsertRecoveryCodes { get; }

    /// <summary>Returns (lookup id, salt, hash, iterations) of each unused code with <c>@lookup</c>.</summary>
    public string FindUnusedRecoveryCodes { get; }

    /// <summary>The used codes of a principal with a lookup id.</summary>
    public string FindUsedRecoveryCodes { get; }

    /// <summary>Marks one unused code used; the affected row count says whether this call did.</summary>
    public string MarkRecoveryCodeUsed { get; }

    /// <summary>Returns the number of unused codes.</summary>
    public string CountUnusedRecoveryCodes { get; }

    /// <summary>Deletes every code of the principal; the affected row count says how many.</summary>
    public string DeleteRecoveryCodes { get; }
}
