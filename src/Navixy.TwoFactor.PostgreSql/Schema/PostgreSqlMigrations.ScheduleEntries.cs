namespace Navixy.TwoFactor.PostgreSql.Schema;

/// <summary>Version 9 of the schema: audit-trail entries of scheduling and cancelling settings changes (policy.md A1, S11).</summary>
internal static partial class PostgreSqlMigrations
{
    /// <summary>
    /// Version 9 (7 and 8 are left to the enrolment period and the device purge of the same release). Only adds two columns
    /// to <c>audit_entries</c>, one nullable and one with a constant default, so every row is kept as it was (an entry of an
    /// earlier release applied when it was accepted: no moment, nothing cancelled), and a node of the previous release keeps
    /// writing its entries. <c>effective_at</c> (UTC ticks) is the moment a scheduled operation applies from, on the entry
    /// that scheduled it and on the one that cancelled it; <c>cancelled_operation</c> names the cancelled operation (1 to 4).
    /// </summary>
    private static string ScheduleEntryColumns(string schema) => $$"""
        ALTER TABLE {{schema}}.audit_entries
            ADD COLUMN effective_at        bigint,
            ADD COLUMN cancelled_operation smallint NOT NULL DEFAULT 0 CHECK (cancelled_operation >= 0);
        COMMENT ON COLUMN {{schema}}.audit_entries.effective_at IS 'UTC ticks: the moment a scheduled settings operation (S11) applies from, on the entry that scheduled it and on the one that cancelled it; NULL for a change applied when accepted.';
        COMMENT ON COLUMN {{schema}}.audit_entries.cancelled_operation IS 'For a cancellation (operation 12): the operation the cancelled change would have made (1 to 4); 0 otherwise.';
        """;
}
