namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>
/// The SQL of the policy store for one schema. Parameters: <c>@tenant</c> bigint, <c>@id</c> bigint,
/// <c>@account</c> bigint, <c>@ids</c> bigint[], <c>@setting</c> integer (see <see cref="SettingCode"/>),
/// <c>@origin</c> smallint, <c>@demo</c> and <c>@include_default</c> boolean; a write that is audited also takes <c>@moment</c>
/// bigint (UTC ticks) and <c>@actor</c> text, and appends its <c>audit_entries</c> row in the same statement (policy.md A2).
/// </summary>
/// <remarks>
/// Every writer of a tenant first locks the tenant's row and only then reads, in a later statement of the same
/// implicit transaction (one batch, one round trip), so under READ COMMITTED its reads see every write accepted
/// before it: the row lock does for the database what the in-memory store's per-tenant lock does. Statements
/// that touch only the tenant row do it in one statement. Readers take no lock.
/// Kinds: 1 account, 2 sub-user. Sources: 1 tenant default, 2 selected update (see <c>SettingSource</c>).
/// </remarks>
internal sealed class PolicyStatements
{
    public PolicyStatements(string schema)
    {
        var s = schema;

        FindPrincipal = $"""
            SELECT t.default_setting, t.all_setting, t.all_version,
                   p.kind, a.kind, a.principal_id, a.origin, a.is_demo, a.setting, a.source, a.version,
                   t.version, {PendingFor(s, "a.principal_id")}
            FROM (SELECT @tenant::bigint AS tenant_id) AS k
            LEFT JOIN {s}.tenants AS t ON t.tenant_id = k.tenant_id
            LEFT JOIN {s}.principals AS p ON p.tenant_id = k.tenant_id AND p.principal_id = @id
            LEFT JOIN {s}.principals AS a ON a.tenant_id = k.tenant_id AND a.principal_id = COALESCE(p.account_id, p.principal_id)
            """;

        GetTenant = $"SELECT k.default_setting, k.all_setting, k.all_version, k.version, {PendingFor(s, "NULL::bigint")} FROM {s}.tenants AS k WHERE k.tenant_id = @tenant";

        // Creates the tenant row when missing (waiting for a concurrent creator to finish), then locks it for the
        // rest of the batch. The lock writes no row version: an operation that changes nothing leaves the row as it was.
        EnsureTenant = $"INSERT INTO {s}.tenants (tenant_id) VALUES (@tenant) ON CONFLICT (tenant_id) DO NOTHING";
        ApplyDue = $"SELECT FROM {s}.apply_due_changes(@tenant, @now)";
        LockTenant = $"SELECT FROM {s}.tenants WHERE tenant_id = @tenant FOR NO KEY UPDATE";

        // A tenant row never written to (version 0) is a placeholder EnsureTenant made for an operation that needs
        // an existing tenant and found none: dropping it leaves a failed operation without a trace.
        DropPlaceholder = $"DELETE FROM {s}.tenants WHERE tenant_id = @tenant AND version = 0";

        AddAccount = $"""
            WITH ten AS (
                SELECT default_setting, version FROM {s}.tenants WHERE tenant_id = @tenant
            ), ins AS (
                INSERT INTO {s}.principals (tenant_id, principal_id, kind, origin, is_demo, setting, source, version)
                SELECT @tenant, @id, 1, @origin, @demo, ten.default_setting, 1, ten.version + 1 FROM ten
                ON CONFLICT (tenant_id, principal_id) DO NOTHING
                RETURNING setting, version
            ), upd AS (
                UPDATE {s}.tenants AS t
                SET version = ins.version,
                    non_demo_accounts = t.non_demo_accounts + CASE WHEN @demo THEN 0 ELSE 1 END,
                    effective_counts = CASE WHEN @demo THEN t.effective_counts ELSE {AddToCount("t.effective_counts", "ins.setting", "1")} END
                FROM ins
                WHERE t.tenant_id = @tenant
            )
            SELECT setting, version FROM ins
            """;

        AddSubUser = $"""
            WITH owner AS (
                SELECT principal_id FROM {s}.principals WHERE tenant_id = @tenant AND principal_id = @account AND kind = 1
            ), ins AS (
                INSERT INTO {s}.principals (tenant_id, principal_id, kind, account_id)
                SELECT @tenant, @id, 2, principal_id FROM owner
                ON CONFLICT (tenant_id, principal_id) DO NOTHING
                RETURNING principal_id
            ), upd AS (
                UPDATE {s}.tenants AS t SET version = t.version + 1
                FROM ins
                WHERE t.tenant_id = @tenant
                RETURNING t.version
            )
            SELECT EXISTS (SELECT 1 FROM owner), EXISTS (SELECT 1 FROM ins), (SELECT version FROM upd)
            """;

        // Removing an account removes its sub-users in the same statement (the foreign key cascades too).
        Remove = $"""
            WITH del AS (
                DELETE FROM {s}.principals
                WHERE tenant_id = @tenant AND (principal_id = @id OR account_id = @id)
                RETURNING principal_id, kind, is_demo, setting, version
            ), gone AS (
                SELECT CASE WHEN d.version > t.all_version THEN d.setting ELSE t.all_setting END AS effective
                FROM del AS d
                JOIN {s}.tenants AS t ON t.tenant_id = @tenant
                WHERE d.principal_id = @id AND d.kind = 1 AND NOT d.is_demo
            ), upd AS (
                UPDATE {s}.tenants AS t
                SET version = t.version + 1,
                    non_demo_accounts = t.non_demo_accounts - (SELECT count(*) FROM gone),
                    effective_counts = COALESCE((SELECT {AddToCount("t.effective_counts", "gone.effective", "-1")} FROM gone), t.effective_counts)
                WHERE t.tenant_id = @tenant AND EXISTS (SELECT 1 FROM del)
                RETURNING t.version
            )
            SELECT COALESCE((SELECT array_agg(principal_id) FROM del), ARRAY[]::bigint[]), (SELECT version FROM upd)
            """;

        // One more row than asked for says whether a next page follows.
        List = $"""
            SELECT p.principal_id, p.kind, a.principal_id, a.origin, a.is_demo
            FROM {s}.principals AS p
            JOIN {s}.principals AS a ON a.tenant_id = p.tenant_id AND a.principal_id = COALESCE(p.account_id, p.principal_id)
            WHERE p.tenant_id = @tenant AND p.principal_id > @after
            ORDER BY p.principal_id
            LIMIT @limit + 1
            """;

        UpdateSelected = SelectedUpdate(s, apply: true);
        UpdateSelectedDryRun = SelectedUpdate(s, apply: false);

        // One statement writing one row: the tenant's. The locking read comes first (the insert depends on it), so
        // the counts it returns are the ones the update replaces. Returns no row only when a concurrent writer
        // created the tenant after this statement's snapshot; nothing was written then, and the caller repeats it.
        UpdateAll = $$"""
            WITH cur AS MATERIALIZED (
                SELECT non_demo_accounts, effective_counts, all_setting, default_setting FROM {{s}}.tenants WHERE tenant_id = @tenant FOR NO KEY UPDATE
            ), upd AS (
                UPDATE {{s}}.tenants AS t
                SET version = t.version + 1,
                    all_version = t.version + 1,
                    all_setting = @setting,
                    default_setting = CASE WHEN @include_default THEN @setting ELSE t.default_setting END,
                    effective_counts = CASE WHEN t.non_demo_accounts > 0
                        THEN jsonb_build_object(@setting::text, t.non_demo_accounts) ELSE '{}'::jsonb END
                FROM cur
                WHERE t.tenant_id = @tenant
                RETURNING t.version, cur.non_demo_accounts - COALESCE((cur.effective_counts ->> @setting::text)::bigint, 0) AS changed
            ), ins AS (
                INSERT INTO {{s}}.tenants (tenant_id, version, all_version, all_setting, default_setting)
                SELECT @tenant, 1, 1, @setting, CASE WHEN @include_default THEN @setting ELSE 0 END
                WHERE NOT EXISTS (SELECT 1 FROM cur)
                ON CONFLICT (tenant_id) DO NOTHING
                RETURNING version, 0::bigint AS changed
            ), aud AS (
                INSERT INTO {{s}}.audit_entries (tenant_id, moment, actor, operation, setting_before, setting_after, default_before, accounts_before, version)
                SELECT @tenant, @moment, @actor, CASE WHEN @include_default THEN 4 ELSE 1 END,
                       b.all_setting, @setting, CASE WHEN @include_default THEN b.default_setting END, b.counts, b.version
                FROM (
                    SELECT cur.all_setting, cur.default_setting, cur.effective_counts AS counts, upd.version FROM upd CROSS JOIN cur
                    UNION ALL
                    SELECT 0, 0, '{}'::jsonb, ins.version FROM ins
                ) AS b
            )
            SELECT version, changed FROM upd
            UNION ALL
            SELECT version, changed FROM ins
            """;

        UpdateAllDryRun = $"""
            SELECT non_demo_accounts - COALESCE((effective_counts ->> @setting::text)::bigint, 0)
            FROM {s}.tenants WHERE tenant_id = @tenant
            """;

        // Runs after EnsureTenant and LockTenant in one batch, so the default it reads as "before" is the one it replaces.
        UpdateDefault = $"""
            WITH cur AS (
                SELECT default_setting FROM {s}.tenants WHERE tenant_id = @tenant
            ), upd AS (
                UPDATE {s}.tenants AS t SET version = t.version + 1, default_setting = @setting
                WHERE t.tenant_id = @tenant
                RETURNING t.version
            ), aud AS (
                INSERT INTO {s}.audit_entries (tenant_id, moment, actor, operation, setting_before, setting_after, version)
                SELECT @tenant, @moment, @actor, 3, cur.default_setting, @setting, upd.version FROM upd CROSS JOIN cur
            )
            SELECT version FROM upd
            """;
    }

    /// <summary>Reads one principal with the account that decides for it and the tenant's settings: one statement.</summary>
    public string FindPrincipal { get; }

    public string GetTenant { get; }

    /// <summary>Inserts the tenant row unless it exists; returns no result set.</summary>
    public string EnsureTenant { get; }

    /// <summary>Locks the tenant row; returns one result set (of no columns), which the reader skips.</summary>
    public string LockTenant { get; }

    /// <summary>Folds the tenant's scheduled changes due by <c>@now</c> (UTC ticks) in; returns one result set of no columns.</summary>
    public string ApplyDue { get; }

    public string DropPlaceholder { get; }

    /// <summary>Returns (setting, version) of the new account, or no row when the id is taken.</summary>
    public string AddAccount { get; }

    /// <summary>Returns (account found, sub-user added, version or null).</summary>
    public string AddSubUser { get; }

    /// <summary>Returns the ids of the principals removed, as one array (empty when none), and the version (null when none).</summary>
    public string Remove { get; }

    /// <summary>Returns (id, kind, account id, account origin, account demo flag) of up to @limit + 1 principals after @after, by id.</summary>
    public string List { get; }

    /// <summary>Returns (offending ids, their error codes, changed accounts, version) in one row.</summary>
    public string UpdateSelected { get; }

    /// <summary>As <see cref="UpdateSelected"/>, writing nothing; the version is null.</summary>
    public string UpdateSelectedDryRun { get; }

    /// <summary>Returns (version, changed accounts).</summary>
    public string UpdateAll { get; }

    /// <summary>Returns the changed accounts, or no row for a tenant never written to.</summary>
    public string UpdateAllDryRun { get; }

    /// <summary>Returns the version.</summary>
    public string UpdateDefault { get; }

    /// <summary>
    /// SQL of the tenant's pending scheduled changes (S11) as one JSON array of [id, moment, kind, setting, ids], in order: the
    /// ids of a selected change reduced to the deciding account when it is listed, so a snapshot carries what the resolver needs.
    /// Expects the tenant id as <c>k.tenant_id</c>.
    /// </summary>
    public static string PendingFor(string s, string accountId) => $"""
        (SELECT jsonb_agg(jsonb_build_array(c.change_id, c.effective_at, c.kind, c.setting,
                    CASE WHEN c.kind = 2 AND {accountId} = ANY (c.account_ids) THEN jsonb_build_array({accountId}) ELSE '[]'::jsonb END)
                ORDER BY c.effective_at, c.change_id)
         FROM {s}.scheduled_changes AS c WHERE c.tenant_id = k.tenant_id)
        """;

    /// <summary>SQL adding <paramref name="delta"/> to the count of setting code <paramref name="code"/> in a counts object.</summary>
    private static string AddToCount(string counts, string code, string delta) =>
        $"jsonb_set({counts}, ARRAY[({code})::text], to_jsonb(COALESCE(({counts} ->> ({code})::text)::bigint, 0) + {delta}))";

    /// <summary>
    /// Checks every id (error code 1 not found, 2 not an account, in the order given), counts the non-demo accounts
    /// whose effective setting changes and, when <paramref name="apply"/> and nothing is wrong, stamps the accounts
    /// and moves them between the tenant's counts, all in one statement.
    /// </summary>
    private static string SelectedUpdate(string s, bool apply)
    {
        var writes = apply
            ? $$"""
                , acc AS (
                    UPDATE {{s}}.principals AS p
                    SET setting = @setting, source = 2, version = ten.version + 1
                    FROM ten
                    WHERE p.tenant_id = @tenant AND p.principal_id = ANY (@ids) AND NOT EXISTS (SELECT 1 FROM bad)
                ), upd AS (
                    UPDATE {{s}}.tenants AS t
                    SET version = t.version + 1,
                        effective_counts = (
                            SELECT COALESCE(jsonb_object_agg(c.k, c.v), '{}'::jsonb)
                            FROM (
                                SELECT d.k, sum(d.v) AS v
                                FROM (
                                    SELECT e.key AS k, e.value::bigint AS v FROM jsonb_each_text(t.effective_counts) AS e
                                    UNION ALL SELECT m.effective::text, -1 FROM moving AS m
                                    UNION ALL SELECT @setting::text, 1 FROM moving
                                ) AS d
                                GROUP BY d.k
                                HAVING sum(d.v) <> 0
                            ) AS c)
                    WHERE t.tenant_id = @tenant AND NOT EXISTS (SELECT 1 FROM bad)
                    RETURNING t.version
                ), aud AS (
                    INSERT INTO {{s}}.audit_entries (tenant_id, moment, actor, operation, account_ids, setting_after, accounts_before, version)
                    SELECT @tenant, @moment, @actor, 2, @ids, @setting,
                           (SELECT COALESCE(jsonb_object_agg(c.k, c.n), '{}'::jsonb)
                            FROM (SELECT m.effective::text AS k, count(*) AS n FROM moving AS m GROUP BY m.effective) AS c),
                           upd.version
                    FROM upd
                )
                """
            : string.Empty;
        var version = apply ? "(SELECT version FROM upd)" : "NULL::bigint";
        return $"""
            WITH req AS (
                SELECT r.id, r.ord FROM unnest(@ids::bigint[]) WITH ORDINALITY AS r (id, ord)
            ), ten AS (
                SELECT version, all_setting, all_version, effective_counts FROM {s}.tenants WHERE tenant_id = @tenant
            ), found AS (
                SELECT req.id, req.ord, p.kind, p.is_demo,
                       CASE WHEN p.version > ten.all_version THEN p.setting ELSE ten.all_setting END AS effective
                FROM req
                LEFT JOIN {s}.principals AS p ON p.tenant_id = @tenant AND p.principal_id = req.id
                LEFT JOIN ten ON true
            ), bad AS (
                SELECT id, ord, CASE WHEN kind IS NULL THEN 1 ELSE 2 END AS code FROM found WHERE kind IS DISTINCT FROM 1
            ), moving AS (
                SELECT effective FROM found WHERE kind = 1 AND NOT is_demo
            ){writes}
            SELECT (SELECT array_agg(id ORDER BY ord) FROM bad),
                   (SELECT array_agg(code ORDER BY ord) FROM bad),
                   (SELECT count(*) FROM moving WHERE effective <> @setting),
                   {version}
            """;
    }
}
