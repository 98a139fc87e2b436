namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>
/// Reads that follow <see cref="Reserve"/> in the same batch (one round trip, one implicit transaction), so an
/// authenticator or recovery-code verify reads what it evaluates without a round trip of its own. Each finds the
/// principal through the challenge row the reservation just locked, and reads what the separate reads
/// (<see cref="TotpStatements.GetEnrollment"/>, <see cref="TotpStatements.FindUnusedRecoveryCodes"/> and
/// <see cref="TotpStatements.FindUsedRecoveryCodes"/>) would read right after it.
/// </summary>
internal sealed partial class ChallengeStatements
{
    /// <summary>The reserved challenge's principal's enrolment (no row when it has none).</summary>
    public PositionalStatement ReservedEnrollment { get; }

    /// <summary>The reserved challenge's principal's recovery codes with lookup id <c>@lookup</c>, used ones flagged.</summary>
    public PositionalStatement ReservedRecoveryCodes { get; }

    private static string ReservedEnrollmentStatement(string s) => $"""
            SELECT e.active_secret, e.last_step, e.pending_secret, e.pending_expires_at
            FROM {s}.challenges AS c
            JOIN {s}.totp_enrollments AS e ON e.tenant_id = c.tenant_id AND e.principal_id = c.principal_id
            WHERE c.tenant_id = @tenant AND c.token_hash = @token
            """;

    private static string ReservedRecoveryCodesStatement(string s) => $"""
            SELECT r.lookup_id, r.salt, r.hash, r.iterations, r.used
            FROM {s}.challenges AS c
            JOIN {s}.recovery_codes AS r ON r.tenant_id = c.tenant_id AND r.principal_id = c.principal_id
            WHERE c.tenant_id = @tenant AND c.token_hash = @token AND r.lookup_id = @lookup
            """;
}
