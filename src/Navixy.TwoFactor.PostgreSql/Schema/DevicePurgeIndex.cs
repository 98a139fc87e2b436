namespace Navixy.TwoFactor.PostgreSql.Schema;

/// <summary>
/// Version 8 (7 is left to the enrolment-period step of the same release; the migrator applies any free number in order).
/// Only adds an index, so every row is kept and a node of the previous release works on this schema unchanged.
/// </summary>
internal static class DevicePurgeIndex
{
    /// <summary>
    /// <c>remembered_devices (tenant_id, issued_at)</c>: the purge of expired devices walks the tenants that hold devices
    /// (one index probe each) and, per tenant, the range of devices issued at least its remember period ago, so each batch
    /// is index range scans, never a scan of the table.
    /// </summary>
    public static string Sql(string schema) => $$"""
        CREATE INDEX remembered_devices_issued_idx ON {{schema}}.remembered_devices (tenant_id, issued_at);
        COMMENT ON INDEX {{schema}}.remembered_devices_issued_idx IS 'Navixy.TwoFactor: the purge of expired remembered devices reads, per tenant, the devices issued before now minus its remember period.';
        """;
}
