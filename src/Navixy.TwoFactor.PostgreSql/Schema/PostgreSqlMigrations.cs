using System.Globalization;
using System.Text;

namespace Navixy.TwoFactor.PostgreSql.Schema;

/// <summary>One versioned step of the schema. Its SQL runs once, inside the migration's transaction.</summary>
/// <param name="Version">The version the step brings the schema to; consecutive from 1.</param>
/// <param name="Description">What the step adds, recorded in <c>schema_version</c>.</param>
/// <param name="Sql">Builds the step's statements for a quoted schema name.</param>
internal sealed record PostgreSqlMigration(int Version, string Description, Func<string, string> Sql);

/// <summary>
/// The schema's migrations in order, and the SQL that applies them idempotently. Later stores add steps at the
/// end (never edit a released step): the next free version is <c>All.Count + 1</c>.
/// </summary>
internal static class PostgreSqlMigrations
{
    public static IReadOnlyList<PostgreSqlMigration> All { get; } =
    [
        new(1, "Policy store: tenants and principals", PolicyTables),
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
}
