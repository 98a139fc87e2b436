using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Cryptography;

/// <summary>
/// The authenticator-app factor's cryptography, as login and enrolment both use it: protecting secrets bound to their
/// tenant and principal, finding the step a code matches in the configured window, and making recovery codes. Reading
/// the stores is the caller's (<c>Challenges.AuthenticatorCodeCheck</c> at login). Every time
/// comes from the caller (the engine's <see cref="TimeProvider"/>); plain secrets are wiped after use.
/// </summary>
internal sealed class TotpFactor
{
    /// <summary>Bytes of a new secret (160 bits, RFC 4226 §4 recommends it; policy.md T1 asks for at least 160 bits).</summary>
    public const int SecretLength = 20;

    /// <summary>Secrets shorter than this are refused wherever one is accepted (RFC 4226 §4: at least 128 bits).</summary>
    public const int MinSecretLength = 16;

    private static readonly byte[] AssociatedDataLabel = Encoding.ASCII.GetBytes("Navixy.TwoFactor/totp-secret/v1");

    private readonly ISecretProtector _protector;

    public TotpFactor(ISecretProtector protector, IOptions<TwoFactorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentNullException.ThrowIfNull(options);
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
