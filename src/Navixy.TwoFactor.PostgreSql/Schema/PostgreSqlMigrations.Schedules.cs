namespace Navixy.TwoFactor.PostgreSql.Schema;

/// <summary>Version 5 of the schema: scheduled settings changes (policy.md S11).</summary>
internal static partial class PostgreSqlMigrations
{
    /// <summary>
    /// Version 5. Only adds a table and a function, so every row is kept. <c>scheduled_changes</c> holds the settings operations
    /// accepted for a later moment (UTC ticks), one row each, with the version stamp their acceptance took as id; kinds 1 all,
    /// 2 selected (<c>account_ids</c>), 3 default, 4 enforce for everyone. <c>apply_due_changes</c> folds, in order of moment
    /// then id, every change due by the given moment into the tenant and principal rows exactly as the operation applied at
    /// once would (each taking the next tenant version stamp; a selected change sets the listed ids that are accounts then) and
    /// deletes it; every writer of a tenant calls it first, in its own transaction, under the tenant row's lock. A node of the
    /// previous release ignores the table: it neither applies nor lists scheduled changes.
    /// </summary>
    private static string ScheduleTables(string schema) => $$"""
        CREATE TABLE {{schema}}.scheduled_changes (
            tenant_id    bigint   NOT NULL REFERENCES {{schema}}.tenants (tenant_id),
            change_id    bigint   NOT NULL,
            effective_at bigint   NOT NULL,
            kind         smallint NOT NULL CHECK (kind BETWEEN 1 AND 4),
            setting      integer  NOT NULL CHECK (setting >= 0),
            account_ids  bigint[] NOT NULL DEFAULT '{}',
            PRIMARY KEY (tenant_id, change_id)
        );
        CREATE INDEX scheduled_changes_due_idx ON {{schema}}.scheduled_changes (tenant_id, effective_at, change_id);
        COMMENT ON TABLE {{schema}}.scheduled_changes IS 'Navixy.TwoFactor: settings operations accepted for a later moment (S11), not yet folded in. effective_at is UTC ticks; change_id is the tenant version stamp the acceptance took.';

        CREATE FUNCTION {{schema}}.apply_due_changes(p_tenant bigint, p_now bigint) RETURNS void
        LANGUAGE plpgsql AS $fold$
        DECLARE
            c record;
            v bigint;
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM {{schema}}.scheduled_changes WHERE tenant_id = p_tenant AND effective_at <= p_now) THEN
                RETURN;
            END IF;
            PERFORM 1 FROM {{schema}}.tenants WHERE tenant_id = p_tenant FOR NO KEY UPDATE;
            FOR c IN
                SELECT * FROM {{schema}}.scheduled_changes
                WHERE tenant_id = p_tenant AND effective_at <= p_now
                ORDER BY effective_at, change_id
            LOOP
                IF c.kind IN (1, 4) THEN
                    UPDATE {{schema}}.tenants AS t
                    SET version = t.version + 1,
                        all_version = t.version + 1,
                        all_setting = c.setting,
                        default_setting = CASE WHEN c.kind = 4 THEN c.setting ELSE t.default_setting END,
                        effective_counts = CASE WHEN t.non_demo_accounts > 0
                            THEN jsonb_build_object(c.setting::text, t.non_demo_accounts) ELSE '{}'::jsonb END
                    WHERE t.tenant_id = p_tenant;
                ELSIF c.kind = 3 THEN
                    UPDATE {{schema}}.tenants SET version = version + 1, default_setting = c.setting WHERE tenant_id = p_tenant;
                ELSE
                    UPDATE {{schema}}.tenants AS t
                    SET version = t.version + 1,
                        effective_counts = (
                            SELECT COALESCE(jsonb_object_agg(d.k, d.v), '{}'::jsonb)
                            FROM (
                                SELECT u.k, sum(u.v) AS v
                                FROM (
                                    SELECT e.key AS k, e.value::bigint AS v FROM jsonb_each_text(t.effective_counts) AS e
                                    UNION ALL
                                    SELECT (CASE WHEN p.version > t.all_version THEN p.setting ELSE t.all_setting END)::text, -1
                                    FROM {{schema}}.principals AS p
                                    WHERE p.tenant_id = p_tenant AND p.principal_id = ANY (c.account_ids) AND p.kind = 1 AND NOT p.is_demo
                                    UNION ALL
                                    SELECT c.setting::text, 1
                                    FROM {{schema}}.principals AS p
                                    WHERE p.tenant_id = p_tenant AND p.principal_id = ANY (c.account_ids) AND p.kind = 1 AND NOT p.is_demo
                                ) AS u
                                GROUP BY u.k
                                HAVING sum(u.v) <> 0
                            ) AS d)
                    WHERE t.tenant_id = p_tenant
                    RETURNING t.version INTO v;
                    UPDATE {{schema}}.principals
                    SET setting = c.setting, source = 2, version = v
                    WHERE tenant_id = p_tenant AND principal_id = ANY (c.account_ids) AND kind = 1;
                END IF;
                DELETE FROM {{schema}}.scheduled_changes WHERE tenant_id = p_tenant AND change_id = c.change_id;
            END LOOP;
        END
        $fold$;
        COMMENT ON FUNCTION {{schema}}.apply_due_changes(bigint, bigint) IS 'Navixy.TwoFactor: folds the scheduled changes due by p_now (UTC ticks) into the tenant, in order; called first by every writer of the tenant.';
        """;
}
