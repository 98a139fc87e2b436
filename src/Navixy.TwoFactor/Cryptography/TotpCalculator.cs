using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using OtpNet;

namespace Navixy.TwoFactor.Cryptography;

/// <summary>
/// Computes TOTP codes with Otp.NET and checks them with an HOTP of our own that keys one HMAC per check (the RFC vector
/// tests hold the two to each other). The time step is always passed in (it comes from the
/// engine's <see cref="TimeProvider"/>), the window is always explicit, and every candidate step is
/// compared in constant time without an early exit, so the time taken does not tell which step matched.
/// </summary>
internal static class TotpCalculator
{
    /// <summary>The time step (RFC 6238 "T") of an instant.</summary>
    public static long StepAt(DateTimeOffset now, int periodSeconds) =>
        Math.DivRem(now.ToUnixTimeSeconds(), periodSeconds, out var remainder) - (remainder < 0 ? 1 : 0);

    /// <summary>The code for a time step (HOTP with the step as counter, RFC 6238 §4).</summary>
    public static string Compute(byte[] key, long step, TotpParameters parameters) =>
        new Hotp(key, ToMode(parameters.Algorithm), parameters.Digits).ComputeHOTP(step);

    /// <summary>
    /// Finds the step in [<paramref name="currentStep"/> − <paramref name="stepsBack"/>,
    /// <paramref name="currentStep"/> + <paramref name="stepsForward"/>] whose code equals
    /// <paramref name="code"/>; the caller refuses a step at or below the last accepted one (replay).
    /// </summary>
    /// <returns>The matched step, or <see langword="null"/>.</returns>
    public static long? FindStep(byte[] key, string code, long currentStep, int stepsBack, int stepsForward, TotpParameters parameters)
    {
        if (!IsWellFormed(code, parameters.Digits))
        {
            return null;
        }

        Span<byte> presented = stackalloc byte[parameters.Digits];
        Encoding.ASCII.GetBytes(code, presented);
        Span<byte> candidate = stackalloc byte[parameters.Digits];
        long? matched = null;
        using var hmac = IncrementalHash.CreateHMAC(ToName(parameters.Algorithm), key);
        for (var step = currentStep - stepsBack; step <= currentStep + stepsForward; step++)
        {
            WriteCode(hmac, step, candidate);
            if (CryptographicOperations.FixedTimeEquals(candidate, presented) && matched is null)
            {
                matched = step;
            }
        }

        return matched;
    }

    /// <summary>
    /// RFC 4226 §5.3 writing the code's ASCII digits, with one HMAC keyed once for the whole window: the key's set-up is
    /// most of a one-shot HMAC's cost here, so every step after the first costs a fraction of a first. The RFC vector tests
    /// check it against <see cref="Compute"/> (Otp.NET) step by step.
    /// </summary>
    private static void WriteCode(IncrementalHash hmac, long step, Span<byte> digits)
    {
        Span<byte> counter = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> mac = stackalloc byte[HMACSHA512.HashSizeInBytes];
        hmac.AppendData(counter);
        var length = hmac.GetHashAndReset(mac);
        var offset = mac[length - 1] & 0x0F;
        var value = (((mac[offset] & 0x7F) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3]) % Pow10[digits.Length];
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            digits[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private static readonly int[] Pow10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

    /// <summary>Exactly <paramref name="digits"/> ASCII digits (no spaces, no other scripts' digits).</summary>
    public static bool IsWellFormed(string? code, int digits)
    {
        if (code is null || code.Length != digits)
        {
            return false;
        }

        foreach (var c in code)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

#pragma warning disable CA5350 // RFC 6238 authenticators use HMAC-SHA1 by default.
    private static HashAlgorithmName ToName(TotpAlgorithm algorithm) => algorithm switch
    {
        TotpAlgorithm.Sha256 => HashAlgorithmName.SHA256,
        TotpAlgorithm.Sha512 => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA1,
    };
#pragma warning restore CA5350

    private static OtpHashMode ToMode(TotpAlgorithm algorithm) => algorithm switch
    {
        TotpAlgorithm.Sha256 => OtpHashMode.Sha256,
        TotpAlgorithm.Sha512 => OtpHashMode.Sha512,
        _ => OtpHashMode.Sha1,
    };
}
