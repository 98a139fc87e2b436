using System.Security.Cryptography;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;

namespace Navixy.TwoFactor.Challenges;

/// <summary>What checking an authenticator code at login found.</summary>
internal enum TotpCheck
{
    /// <summary>The code matched a step in the window later than the last accepted one (not yet spent).</summary>
    Accepted,

    /// <summary>No step in the window has this code (malformed codes included).</summary>
    WrongCode,

    /// <summary>The code matched a step at or before the last accepted one (or the secret changed meanwhile).</summary>
    Replayed,

    /// <summary>The principal has no active authenticator.</summary>
    NotEnrolled,

    /// <summary>The stored secret failed authentication or is shorter than allowed.</summary>
    SecretUnreadable,
}

/// <summary>What evaluating an authenticator code found: the verdict, and for a match the protected secret and the step.</summary>
/// <param name="Check">The verdict.</param>
/// <param name="ActiveSecret">The protected secret the code matched (<see cref="TotpCheck.Accepted"/> only).</param>
/// <param name="Step">The matched step (<see cref="TotpCheck.Accepted"/> and <see cref="TotpCheck.Replayed"/>).</param>
internal readonly record struct TotpEvaluation(TotpCheck Check, byte[]? ActiveSecret, long Step);

/// <summary>
/// Checks an authenticator or recovery code at login against what the stores hold, without spending anything: the
/// challenge store spends the matched step or code together with the pass (<see cref="Stores.ChallengeSettlement"/>).
/// </summary>
internal sealed class AuthenticatorCodeCheck
{
    private readonly ITotpEnrollmentStore _enrollments;
    private readonly IRecoveryCodeStore _recoveryCodes;
    private readonly TotpFactor _factor;

    public AuthenticatorCodeCheck(ITotpEnrollmentStore enrollments, IRecoveryCodeStore recoveryCodes, TotpFactor factor)
    {
        ArgumentNullException.ThrowIfNull(enrollments);
        ArgumentNullException.ThrowIfNull(recoveryCodes);
        ArgumentNullException.ThrowIfNull(factor);
        _enrollments = enrollments;
        _recoveryCodes = recoveryCodes;
        _factor = factor;
    }

    /// <summary>
    /// Evaluates a login code against the principal's active secret without spending anything: the step it matches, and
    /// the protected secret it matched against (the store spends the step together with the pass). A step at or before
    /// the last accepted one is a replay (a copy of a code already used).
    /// </summary>
    public async ValueTask<TotpEvaluation> EvaluateLoginCodeAsync(TenantId tenant, long principalId, string? code, DateTimeOffset now, CancellationToken cancellationToken) =>
        EvaluateLoginCode(tenant, principalId, await _enrollments.GetAsync(tenant, principalId, cancellationToken).ConfigureAwait(false), code, now);

    /// <summary>As <see cref="EvaluateLoginCodeAsync"/>, against an enrolment already read.</summary>
    public TotpEvaluation EvaluateLoginCode(TenantId tenant, long principalId, TotpEnrollmentRecord? record, string? code, DateTimeOffset now)
    {
        if (record?.ActiveSecret is not { } blob)
        {
            return new(TotpCheck.NotEnrolled, null, 0);
        }

        if (!_factor.TryUnprotect(tenant, principalId, blob, out var secret))
        {
            return new(TotpCheck.SecretUnreadable, null, 0);
        }

        long? step;
        try
        {
            step = _factor.FindStep(secret, code, now);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }

        return step switch
        {
            null => new(TotpCheck.WrongCode, null, 0),
            { } matched when matched <= record.LastAcceptedStep => new(TotpCheck.Replayed, null, matched),
            { } matched => new(TotpCheck.Accepted, blob, matched),
        };
    }

    /// <summary>
    /// Whether the principal's active secret is now another blob than <paramref name="checkedBlob"/>: re-wrapped to a new
    /// key (security.md item 36) or replaced since the code was checked against it.
    /// </summary>
    public async ValueTask<bool> ActiveSecretMovedAsync(TenantId tenant, long principalId, byte[] checkedBlob, CancellationToken cancellationToken) =>
        (await _enrollments.GetAsync(tenant, principalId, cancellationToken).ConfigureAwait(false))?.ActiveSecret is { } active
        && !active.AsSpan().SequenceEqual(checkedBlob);

    /// <summary>
    /// Finds the principal's unused recovery code equal to a normalised one, without spending it: the candidates with its
    /// lookup id, checked against the slow hash. The store marks it used together with the pass. When no unused code
    /// matches, the used ones are checked too, so a copy of a code already redeemed is told apart from a wrong code.
    /// </summary>
    public async ValueTask<(RecoveryCodeHash? Unused, bool AlreadyUsed)> FindRecoveryCodeAsync(TenantId tenant, long principalId, string normalized, CancellationToken cancellationToken)
    {
        var lookupId = RecoveryCodes.LookupIdOf(normalized);
        var unused = await _recoveryCodes.FindUnusedAsync(tenant, principalId, lookupId, cancellationToken).ConfigureAwait(false);
        if (FirstMatch(unused, normalized) is { } match)
        {
            return (match, false);
        }

        var used = await _recoveryCodes.FindUsedAsync(tenant, principalId, lookupId, cancellationToken).ConfigureAwait(false);
        return (null, FirstMatch(used, normalized) is not null);
    }

    /// <summary>As <see cref="FindRecoveryCodeAsync"/>, among candidates already read (both lists with the code's lookup id).</summary>
    public static (RecoveryCodeHash? Unused, bool AlreadyUsed) FindRecoveryCode(string normalized, IReadOnlyList<RecoveryCodeHash> unused, IReadOnlyList<RecoveryCodeHash> used) =>
        FirstMatch(unused, normalized) is { } match ? (match, false) : (null, FirstMatch(used, normalized) is not null);

    private static RecoveryCodeHash? FirstMatch(IReadOnlyList<RecoveryCodeHash> candidates, string normalized) =>
        candidates.FirstOrDefault(c => c.Iterations > 0 && c.Salt.Length > 0 && RecoveryCodes.Matches(normalized, c));
}
