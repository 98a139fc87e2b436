using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Specification;

/// <summary>
/// An authenticator app for tests: it takes the Base32 secret an enrolment showed and computes codes by RFC 6238 with the
/// BCL's HMAC, an independent path from the engine's Otp.NET.
/// </summary>
public sealed class TestAuthenticator
{
    private readonly byte[] _key;

    /// <summary>Reads the secret an enrolment answered.</summary>
    public TestAuthenticator(string base32Secret, TotpParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(base32Secret);
        _key = DecodeBase32(base32Secret);
        Parameters = parameters;
    }

    /// <summary>Algorithm, digits and period.</summary>
    public TotpParameters Parameters { get; }

    /// <summary>The decoded secret.</summary>
    public ReadOnlySpan<byte> Key => _key;

    /// <summary>Builds one from a begun enrolment.</summary>
    public static TestAuthenticator From(TotpEnrollmentBeginResult begun) => new(begun.Secret!, begun.Parameters);

    /// <summary>The time step (RFC 6238 T) of an instant.</summary>
    public long StepAt(DateTimeOffset time) => (long)Math.Floor(time.ToUnixTimeSeconds() / (double)Parameters.PeriodSeconds);

    /// <summary>The code shown at <paramref name="time"/>, shifted by <paramref name="steps"/> time steps.</summary>
    public string CodeAt(DateTimeOffset time, int steps = 0) => CodeForStep(StepAt(time) + steps);

    /// <summary>The code of one time step (HOTP with the step as the counter, RFC 4226 §5.3).</summary>
    public string CodeForStep(long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var mac = Parameters.Algorithm switch
        {
            TotpAlgorithm.Sha256 => HMACSHA256.HashData(_key, counter),
            TotpAlgorithm.Sha512 => HMACSHA512.HashData(_key, counter),
#pragma warning disable CA5350 // RFC 6238 authenticators use HMAC-SHA1; this is the reference computation.
            _ => HMACSHA1.HashData(_key, counter),
#pragma warning restore CA5350
        };
        var offset = mac[^1] & 0x0F;
        var binary = ((mac[offset] & 0x7F) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
        var modulo = Parameters.Digits == 8 ? 100_000_000 : 1_000_000;
        return (binary % modulo).ToString(CultureInfo.InvariantCulture).PadLeft(Parameters.Digits, '0');
    }

    /// <summary>A code of the right shape that is not the one of any step from −3 to +3 around <paramref name="time"/>.</summary>
    public string WrongCodeAt(DateTimeOffset time)
    {
        var near = Enumerable.Range(-3, 7).Select(i => CodeAt(time, i)).ToHashSet(StringComparer.Ordinal);
        var candidate = CodeAt(time);
        do
        {
            candidate = string.Concat(candidate.Select(c => (char)('0' + ((c - '0' + 1) % 10))));
        }
        while (near.Contains(candidate));

        return candidate;
    }

    private static byte[] DecodeBase32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('='))
        {
            var value = alphabet.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException("Not Base32.");
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. bytes];
    }
}
