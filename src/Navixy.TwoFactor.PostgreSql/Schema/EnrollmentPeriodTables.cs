namespace Navixy.TwoFactor.PostgreSql.Schema;

/// <summary>
/// Version 7: enrolment periods (policy.md G1). Only adds two tables, so every row is kept and a node of the previous
/// release keeps working on this schema (it answers enrolment required where this one answers enrol now). Times are UTC
/// ticks as in version 2; every key starts with the tenant.
/// </summary>
internal static class EnrollmentPeriodTables
{
    public static string Create(string schema) => $$"""
        CREATE TABLE {{schema}}.enrollment_periods (
            tenant_id bigint NOT NULL PRIMARY KEY,
            period    bigint NOT NULL CHECK (period >= 0)
        );
        COMMENT ON TABLE {{schema}}.enrollment_periods IS 'Navixy.TwoFactor: a tenant''s enrolment period for authenticators (policy.md G1), in ticks (none: no period). A principal without the authenticator it needs is let in to enrol while now < its start + period.';

        CREATE TABLE {{schema}}.enrollment_period_starts (
            tenant_id    bigint NOT NULL,
            principal_id bigint NOT NULL,
            started_at   bigint NOT NULL,
            PRIMARY KEY (tenant_id, principal_id)
        );
        COMMENT ON TABLE {{schema}}.enrollment_period_starts IS 'Navixy.TwoFactor: when a principal''s enrolment period started (G1): its first start without the authenticator it needs while the tenant had a period. Written once; deleted by an admin reset (a new period) and with the principal.';
        """;
}
