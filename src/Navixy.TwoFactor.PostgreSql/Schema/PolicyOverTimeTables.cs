namespace Navixy.TwoFactor.PostgreSql.Schema;

/// <summary>
/// Version 6 (5 is left to the scheduled-changes step of the same release). Only adds tables, so every row is kept and a
/// node of the previous release keeps working on this schema (it writes no audit entry and honours no device token).
/// Times are UTC ticks as in version 2; every key starts with the tenant.
/// </summary>
internal static class PolicyOverTimeTables
{
    public static string AuditTrailAndDevices(string schema) => $$"""
        CREATE TABLE {{schema}}.audit_entries (
            tenant_id       bigint   NOT NULL,
            seq             bigint   GENERATED ALWAYS AS IDENTITY,
            moment          bigint   NOT NULL,
            actor           text     NOT NULL,
            operation       smallint NOT NULL CHECK (operation > 0),
            principal_id    bigint,
            account_ids     bigint[],
            setting_before  integer,
            setting_after   integer,
            default_before  integer,
            accounts_before jsonb,
            version         bigint   NOT NULL DEFAULT 0,
            factor          integer  NOT NULL DEFAULT 0,
            detail          text,
            PRIMARY KEY (tenant_id, seq)
        );
        CREATE INDEX audit_entries_principal_idx ON {{schema}}.audit_entries (tenant_id, principal_id, seq) WHERE principal_id IS NOT NULL;
        CREATE INDEX audit_entries_moment_idx ON {{schema}}.audit_entries (moment);
        COMMENT ON TABLE {{schema}}.audit_entries IS 'Navixy.TwoFactor: the audit trail (policy.md A1-A3), one row per accepted change, written in the transaction of the change. Never a code, secret or token.';
        COMMENT ON COLUMN {{schema}}.audit_entries.seq IS 'Orders entries; pages are read newest first by seq, and the opaque cursor holds the last seq answered.';
        COMMENT ON COLUMN {{schema}}.audit_entries.accounts_before IS 'Setting code -> how many non-demo accounts of the change held it before (update all, selected, everyone).';

        CREATE TABLE {{schema}}.remembered_devices (
            tenant_id     bigint NOT NULL,
            token_hash    bytea  NOT NULL CHECK (octet_length(token_hash) = 32),
            principal_id  bigint NOT NULL,
            device_id     text   NOT NULL,
            label         text,
            issued_at     bigint NOT NULL,
            last_used_at  bigint,
            setting_stamp bigint NOT NULL,
            seq           bigint GENERATED ALWAYS AS IDENTITY,
            PRIMARY KEY (tenant_id, token_hash),
            UNIQUE (tenant_id, principal_id, device_id)
        );
        CREATE INDEX remembered_devices_principal_idx ON {{schema}}.remembered_devices (tenant_id, principal_id, issued_at, seq);
        COMMENT ON TABLE {{schema}}.remembered_devices IS 'Navixy.TwoFactor: remembered devices (policy.md D1-D3), keyed by the keyed hash of their token; never a token.';
        COMMENT ON COLUMN {{schema}}.remembered_devices.setting_stamp IS 'Version stamp of the account setting in force when the token was issued; a later settings change voids the token.';

        CREATE TABLE {{schema}}.remember_periods (
            tenant_id bigint NOT NULL PRIMARY KEY,
            period    bigint NOT NULL CHECK (period >= 0)
        );
        COMMENT ON TABLE {{schema}}.remember_periods IS 'Navixy.TwoFactor: a tenant''s remember period for devices, in ticks (none: off). A token is honoured while now < issued_at + period.';
        """;
}
