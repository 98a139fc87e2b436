using System.Security.Cryptography;
using System.Text;
using OtpNet;

namespace Navixy.TwoFactor.Totp;

/// <summary>
/// Computes and checks TOTP codes with Otp.NET. The time step is always passed in (it comes from the
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

        var hotp = new Hotp(key, ToMode(parameters.Algorithm), parameters.Digits);
        Span<byte> presented = stackalloc byte[parameters.Digits];
        Encoding.ASCII.GetBytes(code, presented);
        Span<byte> candidate = stackalloc byte[parameters.Digits];
        long? matched = null;
        for (var step = currentStep - stepsBack; step <= currentStep + stepsForward; step++)
        {
            Encoding.ASCII.GetBytes(hotp.ComputeHOTP(step), candidate);
            if (CryptographicOperations.FixedTimeEquals(candidate, presented) && matched is null)
            {
                matched = step;
            }
        }

        return matched;
    }

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

    private static OtpHashMode ToMode(TotpAlgorithm algorithm) => algorithm switch
    {
        TotpAlgorithm.Sha256 => OtpHashMode.Sha256,
        TotpAlgorithm.Sha512 => OtpHashMode.Sha512,
        _ => OtpHashMode.Sha1,
    };
}
