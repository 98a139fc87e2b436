using System.Globalization;
using System.Text;

namespace Navixy.TwoFactor.PostgreSql.Schema;

/// <summary>One versioned step of the schema. Its SQL runs once, inside the migration's transaction.</summary>
/// <param name="Version">The version the step brings the schema to; increasing from 1. A number may be left free for a step
/// of another branch: the migrator applies every step <c>schema_version</c> does not record, in order, so a step numbered
/// below one already applied still runs.</param>
/// <param name="Description">What the step adds, recorded in <c>schema_version</c>.</param>
/// <param name="Sql">Builds the step's statements for a quoted schema name.</param>
internal sealed record PostgreSqlMigration(int Version, string Description, Func<string, string> Sql);

/// <summary>
/// The schema's migrations in order, and the SQL that applies them idempotently. Later stores add steps at the
/// end (never edit a released step): the next free version is <c>LatestVersion + 1</c>.
/// </summary>
internal static partial class PostgreSqlMigrations
{
    public static IReadOnlyList<PostgreSqlMigration> All { get; } =
    [
        new(1, "Policy store: tenants and principals", PolicyTables),
        new(2, "Challenge store: challenges and principal lockouts", ChallengeTables),
        new(3, "Authenticator apps: step-up redemption, enrolments and recovery codes", AuthenticatorTables),
        new(4, "Second-step reservations, per-principal send cooldown and open-challenge cap", ReservationColumns),
        new(5, "Scheduled settings changes", ScheduleTables),
        new(6, "Audit trail and remembered devices", PolicyOverTimeTables.AuditTrailAndDevices),
        new(7, "Enrolment periods", EnrollmentPeriodTables.Create),
        new(8, "Index for purging expired remembered devices", DevicePurgeIndex.Sql),
        new(9, "Audit-trail entries of scheduled settings changes", ScheduleEntryColumns),
    ];

    public static int LatestVersion => All[^1].Version;

    /// <summary>
    /// Serialises migrators of this schema (advisory lock held to the end of the transaction), then creates the
    /// schema and its version table when missing.
    /// </summary>
    public static string Preamble(PostgreSqlDatabase database) => $"""
        SELECT pg_advisory_xact_lock(hashtextextended('Navixy.TwoFactor schema {database.SchemaName}', 0));
        CREATE SCHEMA IF NOT EXISTS {database.Schema};
        CREATE TABLE IF NOT EXISTS {database.Schema}.schema_version (
            version     integer     NOT NULL PRIMARY KEY,
            description text        NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now()
        );
        """;

    public static string CurrentVersionQuery(PostgreSqlDatabase database) =>
        $"SELECT COALESCE(MAX(version), 0) FROM {database.Schema}.schema_version";

    /// <summary>The versions <c>schema_version</c> records, as one integer array.</summary>
    public static string AppliedVersionsQuery(PostgreSqlDatabase database) =>
        $"SELECT COALESCE(array_agg(version), ARRAY[]::integer[]) FROM {database.Schema}.schema_version";

    /// <summary>A block that applies <paramref name="migration"/> unless <c>schema_version</c> records it already.</summary>
    public static string Step(PostgreSqlDatabase database, PostgreSqlMigration migration)
    {
        var version = migration.Version.ToString(CultureInfo.InvariantCulture);
        var description = migration.Description.Replace("'", "''", StringComparison.Ordinal);
        return $"""
            DO $migration$
            BEGIN
            IF NOT EXISTS (SELECT 1 FROM {database.Schema}.schema_version WHERE version = {version}) THEN
            {migration.Sql(database.Schema)}
            INSERT INTO {database.Schema}.schema_version (version, description) VALUES ({version}, '{description}');
            END IF;
            END
            $migration$;
            """;
    }

    /// <summary>The whole migration as one script for a host's own migration tool; idempotent.</summary>
    public static string Script(PostgreSqlDatabase database)
    {
        var script = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"-- Navixy.TwoFactor.PostgreSql: schema {database.Schema}, migrations 1 to {LatestVersion}.").AppendLine()
            .AppendLine("-- Idempotent: each step runs once and is recorded in schema_version; safe to run again and")
            .AppendLine("-- from several nodes at once (an advisory lock serialises them). Needs PostgreSQL 12 or later.")
            .AppendLine("BEGIN;")
            .AppendLine(Preamble(database));
        foreach (var migration in All)
        {
            script.AppendLine(Step(database, migration));
        }

        return script.AppendLine("COMMIT;").ToString();
    }

    /// <summary>
    /// Version 1. A setting is stored as one integer: 0 for Disallowed, otherwise the factor-type bits of
    /// Allowed(factors). Every key starts with the tenant.
    /// </summary>
    private static string PolicyTables(string schema) => $$"""
        CREATE TABLE {{schema}}.tenants (
            tenant_id         bigint  NOT NULL PRIMARY KEY,
            default_setting   integer NOT NULL DEFAULT 0 CHECK (default_setting >= 0),
            all_setting       integer NOT NULL DEFAULT 0 CHECK (all_setting >= 0),
            all_version       bigint  NOT NULL DEFAULT 0,
            version           bigint  NOT NULL DEFAULT 0,
            non_demo_accounts bigint  NOT NULL DEFAULT 0,
            effective_counts  jsonb   NOT NULL DEFAULT '{}'::jsonb
        );
        COMMENT ON TABLE {{schema}}.tenants IS 'Navixy.TwoFactor: one row per tenant (dealer); writers of a tenant serialise on its row.';
        COMMENT ON COLUMN {{schema}}.tenants.all_version IS 'Version stamp of the last update-all; an account whose own stamp is not later follows all_setting.';
        COMMENT ON COLUMN {{schema}}.tenants.version IS 'The last version stamp handed out; every accepted write takes the next one.';
        COMMENT ON COLUMN {{schema}}.tenants.effective_counts IS 'Non-demo accounts per effective setting code, so update-all counts its changes in O(1).';

        CREATE TABLE {{schema}}.principals (
            tenant_id    bigint   NOT NULL REFERENCES {{schema}}.tenants (tenant_id),
            principal_id bigint   NOT NULL,
            kind         smallint NOT NULL CHECK (kind IN (1, 2)),
            account_id   bigint,
            origin       smallint NOT NULL DEFAULT 0,
            is_demo      boolean  NOT NULL DEFAULT false,
            setting      integer  NOT NULL DEFAULT 0 CHECK (setting >= 0),
            source       smallint NOT NULL DEFAULT 0,
            version      bigint   NOT NULL DEFAULT 0,
            PRIMARY KEY (tenant_id, principal_id),
            CHECK ((kind = 2) = (account_id IS NOT NULL)),
            FOREIGN KEY (tenant_id, account_id) REFERENCES {{schema}}.principals (tenant_id, principal_id) ON DELETE CASCADE
        );
        CREATE INDEX principals_account_idx ON {{schema}}.principals (tenant_id, account_id) WHERE account_id IS NOT NULL;
        COMMENT ON TABLE {{schema}}.principals IS 'Navixy.TwoFactor: accounts (kind 1, with their setting) and sub-users (kind 2, with account_id); one id space per tenant.';
        """;

    /// <summary>
    /// Version 2. Times are UTC ticks (<see cref="DateTimeOffset.UtcTicks"/>: 100 ns units since 0001-01-01), so that
    /// the store compares and computes exactly what the engine's <see cref="TimeProvider"/> said, to the tick, and
    /// "locked until reset" is <see cref="DateTimeOffset.MaxValue"/> like everywhere else. Every key starts with the
    /// tenant. A principal's row in <c>principal_lockouts</c> is made when its first challenge is, and never deleted
    /// by the library: verify locks it, so that one principal's verifies serialise across nodes. Later factors
    /// (authenticator apps) add their challenges here and count their failures in the same row.
    /// </summary>
    private static string ChallengeTables(string schema) => $$"""
        CREATE TABLE {{schema}}.challenges (
            tenant_id           bigint  NOT NULL,
            token_hash          bytea   NOT NULL CHECK (octet_length(token_hash) = 32),
            principal_id        bigint  NOT NULL,
            factor              integer NOT NULL CHECK (factor > 0),
            code_digest         bytea   NOT NULL CHECK (octet_length(code_digest) = 32),
            created_at          bigint  NOT NULL,
            code_expires_at     bigint  NOT NULL,
            expires_at          bigint  NOT NULL,
            resend_available_at bigint  NOT NULL,
            attempts            integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            sends               integer NOT NULL DEFAULT 1 CHECK (sends >= 1),
            consumed_at         bigint,
            PRIMARY KEY (tenant_id, token_hash)
        );
        CREATE INDEX challenges_expires_at_idx ON {{schema}}.challenges (expires_at);
        COMMENT ON TABLE {{schema}}.challenges IS 'Navixy.TwoFactor: second-step challenges, keyed by the keyed hash of their token; never a code or a token. Times are UTC ticks (100 ns since 0001-01-01): to_timestamp((t - 621355968000000000) / 1e7).';
        COMMENT ON COLUMN {{schema}}.challenges.code_digest IS 'HMAC of the current code, keyed with a key the database never sees.';
        COMMENT ON COLUMN {{schema}}.challenges.attempts IS 'Attempts evaluated; the challenge is locked once it reaches the MaxAttempts in force (the limit is not stored).';
        COMMENT ON COLUMN {{schema}}.challenges.consumed_at IS 'When the challenge passed; a consumed challenge never passes again.';
        COMMENT ON COLUMN {{schema}}.challenges.expires_at IS 'End of the challenge; from then on PurgeExpiredAsync may delete it.';

        CREATE TABLE {{schema}}.principal_lockouts (
            tenant_id    bigint  NOT NULL,
            principal_id bigint  NOT NULL,
            failures     integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
            locked_until bigint,
            PRIMARY KEY (tenant_id, principal_id)
        );
        COMMENT ON TABLE {{schema}}.principal_lockouts IS 'Navixy.TwoFactor: consecutive second-step failures and lockout per principal, across its challenges; verifies of one principal serialise on its row.';
        COMMENT ON COLUMN {{schema}}.principal_lockouts.locked_until IS 'UTC ticks; 3155378975999999999 (DateTimeOffset.MaxValue) locks until reset. Kept after the lockout ends until a pass or a reset.';
        """;

    /// <summary>
    /// Version 3. Only adds: a node still running the version 2 library keeps working on this schema, so nodes can be
    /// upgraded one at a time. A challenge's pass time is <c>consumed_at</c>, which every pass (verify or consume) has
    /// always written with the engine's time and nothing else writes, so step-up needs only the once-only flag beside it
    /// (a second pass-time column would be a copy that must never differ). Authenticator secrets are the engine's
    /// protected blobs (AES-GCM, bound to tenant and principal), never plain; recovery codes are salted PBKDF2 hashes
    /// behind a non-secret lookup id. Every key starts with the tenant.
    /// </summary>
    private static string AuthenticatorTables(string schema) => $$"""
        ALTER TABLE {{schema}}.challenges ADD COLUMN step_up_redeemed boolean NOT NULL DEFAULT false;
        COMMENT ON COLUMN {{schema}}.challenges.consumed_at IS 'When the challenge passed (a right email code, or an authenticator or recovery code the engine checked); a consumed challenge never passes again. Step-up proof compares it with the step-up lifetime.';
        COMMENT ON COLUMN {{schema}}.challenges.step_up_redeemed IS 'The pass was redeemed as step-up proof for a sensitive change; each pass is redeemed at most once.';

        CREATE TABLE {{schema}}.totp_enrollments (
            tenant_id          bigint NOT NULL,
            principal_id       bigint NOT NULL,
            active_secret      bytea,
            last_step          bigint,
            pending_secret     bytea,
            pending_expires_at bigint,
            PRIMARY KEY (tenant_id, principal_id),
            CHECK ((active_secret IS NULL) = (last_step IS NULL)),
            CHECK ((pending_secret IS NULL) = (pending_expires_at IS NULL))
        );
        COMMENT ON TABLE {{schema}}.totp_enrollments IS 'Navixy.TwoFactor: authenticator-app enrolment per principal: the active secret with the last accepted time step, and a secret awaiting confirmation. Secrets are AES-GCM blobs under a key the database never sees.';
        COMMENT ON COLUMN {{schema}}.totp_enrollments.last_step IS 'The last RFC 6238 time step a code was accepted for; a code of this step or an earlier one is a replay. Advanced only by a conditional update (last_step < new step).';
        COMMENT ON COLUMN {{schema}}.totp_enrollments.pending_expires_at IS 'UTC ticks; the pending secret can be confirmed while now < pending_expires_at.';

        CREATE TABLE {{schema}}.recovery_codes (
            tenant_id    bigint  NOT NULL,
            principal_id bigint  NOT NULL,
            lookup_id    text    NOT NULL,
            hash         bytea   NOT NULL,
            salt         bytea   NOT NULL,
            iterations   integer NOT NULL CHECK (iterations > 0),
            used         boolean NOT NULL DEFAULT false,
            PRIMARY KEY (tenant_id, principal_id, lookup_id, hash)
        );
        COMMENT ON TABLE {{schema}}.recovery_codes IS 'Navixy.TwoFactor: recovery codes, one row per code: the non-secret first group (lookup_id) and a salted PBKDF2-HMAC-SHA256 hash of the rest; never a code. A code is used at most once (a conditional update of used).';
        """;

    /// <summary>
    /// Version 4. Only adds columns (with defaults) and an index, so every row is kept as it was: a challenge without
    /// reservations (<c>pending = 0</c>) and a principal with no send on record. <c>pending</c> and <c>pending_until</c>
    /// hold the attempts reserved for an authenticator or recovery code the engine is still evaluating (a settlement
    /// releases one; the lease frees them if a node dies in between). <c>last_sent_at</c> is when a code was last sent to
    /// the principal, by a start or a resend, for the per-principal cooldown (policy.md C9). <c>seq</c> numbers challenges
    /// in the order their principal's starts took its row lock, which breaks ties of <c>created_at</c> (a standing clock)
    /// when the oldest open challenges are revoked; rows already there are numbered in storage order. The index serves the
    /// per-principal cap and removing a principal. From this version on the library deletes a principal's
    /// <c>principal_lockouts</c> row when the principal is removed, and when a revocation or an unlock leaves it nothing
    /// to remember (no failures, no lockout, no challenge), as the in-memory store forgets such a principal; a start
    /// makes it again. A node of the previous release keeps working on this schema, but locks rows in the other order
    /// (challenge, then principal): while both releases run, two of their operations on one principal can deadlock,
    /// which PostgreSQL breaks by failing one of them.
    /// </summary>
    private static string ReservationColumns(string schema) => $$"""
        ALTER TABLE {{schema}}.challenges
            ADD COLUMN pending       integer NOT NULL DEFAULT 0 CHECK (pending >= 0),
            ADD COLUMN pending_until bigint  NOT NULL DEFAULT 0,
            ADD COLUMN seq           bigint  GENERATED BY DEFAULT AS IDENTITY;
        CREATE INDEX challenges_principal_idx ON {{schema}}.challenges (tenant_id, principal_id, created_at, seq);
        COMMENT ON COLUMN {{schema}}.challenges.attempts IS 'Attempts reserved (evaluated or being evaluated); the challenge is locked once it reaches the MaxAttempts in force (the limit is not stored).';
        COMMENT ON COLUMN {{schema}}.challenges.pending IS 'Reserved attempts whose evaluation is not settled yet; they count only while now < pending_until.';
        COMMENT ON COLUMN {{schema}}.challenges.pending_until IS 'UTC ticks; when the pending reservations stop holding their attempts (a node that died mid-evaluation).';
        COMMENT ON COLUMN {{schema}}.challenges.seq IS 'Creation order within a principal (starts serialise on its principal_lockouts row); breaks created_at ties when the oldest open challenges are revoked.';

        ALTER TABLE {{schema}}.principal_lockouts ADD COLUMN last_sent_at bigint;
        COMMENT ON TABLE {{schema}}.principal_lockouts IS 'Navixy.TwoFactor: per principal, across its challenges: consecutive second-step failures, lockout and last sent code. Starts, verifies, reservations, settlements and resends of a principal serialise on this row, taken before any challenge row; removing the principal deletes it.';
        COMMENT ON COLUMN {{schema}}.principal_lockouts.last_sent_at IS 'UTC ticks; when a code was last sent to the principal (a start or a resend); a start that sends is refused within the resend cooldown of it.';
        """;
}
