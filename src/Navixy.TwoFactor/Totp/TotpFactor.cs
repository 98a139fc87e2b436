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
    /// <summary>The code matched a step in the window later than the last accepted one, which is now recorded.</summary>
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

/// <summary>
/// The authenticator-app factor as both services use it: protecting secrets bound to their tenant and principal,
/// checking codes in the configured window with replay refusal, and making and redeeming recovery codes. Every time
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
    /// Checks a login code against the principal's active secret and, when it matches a step later than the last accepted
    /// one, records that step with the store's conditional update, so of concurrent verifies of one code exactly one wins.
    /// </summary>
    public async ValueTask<TotpCheck> CheckLoginCodeAsync(TenantId tenant, long principalId, string? code, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var record = await _enrollments.GetAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
        if (record?.ActiveSecret is not { } blob)
        {
            return TotpCheck.NotEnrolled;
        }

        if (!TryUnprotect(tenant, principalId, blob, out var secret))
        {
            return TotpCheck.SecretUnreadable;
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

        if (step is not { } matched)
        {
            return TotpCheck.WrongCode;
        }

        if (matched <= record.LastAcceptedStep)
        {
            return TotpCheck.Replayed;
        }

        return await _enrollments.TryAdvanceStepAsync(tenant, principalId, blob, matched, cancellationToken).ConfigureAwait(false)
            ? TotpCheck.Accepted
            : TotpCheck.Replayed;
    }

    /// <summary>
    /// Redeems a normalised recovery code: finds the principal's unused codes with its lookup id, checks the slow hash, and
    /// marks the match used with the store's conditional update (of concurrent redemptions exactly one wins).
    /// </summary>
    public async ValueTask<bool> RedeemRecoveryCodeAsync(TenantId tenant, long principalId, string normalized, CancellationToken cancellationToken)
    {
        var candidates = await _recoveryCodes.FindUnusedAsync(tenant, principalId, RecoveryCodes.LookupIdOf(normalized), cancellationToken).ConfigureAwait(false);
        foreach (var candidate in candidates)
        {
            if (candidate.Iterations > 0 && candidate.Salt.Length > 0 && RecoveryCodes.Matches(normalized, candidate))
            {
                return await _recoveryCodes.TryMarkUsedAsync(tenant, principalId, candidate, cancellationToken).ConfigureAwait(false);
            }
        }

        return false;
    }

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
