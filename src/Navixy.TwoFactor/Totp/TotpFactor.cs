using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;

namespace Navixy.TwoFactor.Totp;

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
/// The authenticator-app factor as both services use it: protecting secrets bound to their tenant and principal,
/// checking codes in the configured window and telling replays apart, and making and finding recovery codes (spending
/// them is the challenge store's, together with the pass). Every time
/// comes from the caller (the engine's <see cref="TimeProvider"/>); plain secrets are wiped after use.
/// </summary>
internal sealed class TotpFactor
{
    /// <summary>Bytes of a new secret (160 bits, RFC 4226 §4 recommends it; policy.md T1 asks for at least 160 bits).</summary>
    public const int SecretLength = 20;

    /// <summary>Secrets shorter than this are refused wherever one is accepted (RFC 4226 §4: at least 128 bits).</summary>
    public const int MinSecretLength = 16;

    private static readonly byte[] AssociatedDataLabel = Encoding.ASCII.GetBytes("Navixy.TwoFactor/totp-secret/v1");

    private readonly ITotpEnrollmentStore _enrollments;
    private readonly IRecoveryCodeStore _recoveryCodes;
    private readonly ISecretProtector _protector;

    public TotpFactor(ITotpEnrollmentStore enrollments, IRecoveryCodeStore recoveryCodes, ISecretProtector protector, IOptions<TwoFactorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(enrollments);
        ArgumentNullException.ThrowIfNull(recoveryCodes);
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentNullException.ThrowIfNull(options);
        _enrollments = enrollments;
        _recoveryCodes = recoveryCodes;
        _protector = protector;
        Options = options.Value.Totp;
    }

    public TotpOptions Options { get; }

    /// <summary>
    /// The data a protected secret is bound to: a label, the tenant and the principal. A blob copied to another principal
    /// or tenant fails authentication.
    /// </summary>
    public static byte[] AssociatedData(TenantId tenant, long principalId)
    {
        var data = new byte[AssociatedDataLabel.Length + (2 * sizeof(long))];
        AssociatedDataLabel.CopyTo(data, 0);
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(AssociatedDataLabel.Length), tenant.Value);
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(AssociatedDataLabel.Length + sizeof(long)), principalId);
        return data;
    }

    public byte[] Protect(TenantId tenant, long principalId, ReadOnlySpan<byte> secret) =>
        _protector.Protect(secret, AssociatedData(tenant, principalId));

    /// <summary>Decrypts a stored secret; false when it fails authentication or is shorter than <see cref="MinSecretLength"/>.</summary>
    public bool TryUnprotect(TenantId tenant, long principalId, byte[] blob, out byte[] secret)
    {
        secret = [];
        if (!_protector.TryUnprotect(blob, AssociatedData(tenant, principalId), out var plain))
        {
            return false;
        }

        if (plain.Length < MinSecretLength)
        {
            CryptographicOperations.ZeroMemory(plain);
            return false;
        }

        secret = plain;
        return true;
    }

    /// <summary>The step in the configured window around <paramref name="now"/> whose code is <paramref name="code"/>.</summary>
    public long? FindStep(byte[] secret, string? code, DateTimeOffset now)
    {
        var parameters = Options.Parameters;
        return TotpCalculator.IsWellFormed(code, parameters.Digits)
            ? TotpCalculator.FindStep(secret, code!, TotpCalculator.StepAt(now, parameters.PeriodSeconds), Options.StepsBack, Options.StepsForward, parameters)
            : null;
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

        if (!TryUnprotect(tenant, principalId, blob, out var secret))
        {
            return new(TotpCheck.SecretUnreadable, null, 0);
        }

        long? step;
        try
        {
            step = FindStep(secret, code, now);
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

    /// <summary>A fresh set of recovery codes: what to show once, and what to store.</summary>
    public (string[] Display, RecoveryCodeHash[] Stored) CreateRecoveryCodes()
    {
        var display = new string[Options.RecoveryCodeCount];
        var stored = new RecoveryCodeHash[Options.RecoveryCodeCount];
        var lookupIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < display.Length; i++)
        {
            // Distinct lookup ids keep a redemption to one slow hash; a repeat (1 in 2^20 per pair) is simply drawn again.
            (string Display, RecoveryCodeHash Stored) code;
            do
            {
                code = RecoveryCodes.Create(Options.RecoveryCodeIterations);
            }
            while (!lookupIds.Add(code.Stored.LookupId));

            (display[i], stored[i]) = code;
        }

        return (display, stored);
    }
}
