using System.Buffers.Binary;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Navixy.TwoFactor.Cryptography;
using OtpNet;

namespace Navixy.TwoFactor.Benchmarks;

/// <summary>
/// Checking one authenticator code with a window of one step either side: our verifier against Otp.NET's
/// <c>VerifyTotp</c> called directly (goal ≤ 1.1×), and a raw <c>HMACSHA1.HashData</c> HOTP of the three
/// candidate steps for reference. The code is the current step's, the common case.
/// </summary>
[MemoryDiagnoser]
public class TotpVerifyBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 10, TimeSpan.Zero);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(20);
    private readonly VerificationWindow _window = new(previous: 1, future: 1);
    private OtpNet.Totp _otpNet = null!;
    private long _step;
    private string _code = null!;

    [GlobalSetup]
    public void Setup()
    {
        _otpNet = new OtpNet.Totp(_key, 30, OtpHashMode.Sha1, 6);
        _step = TotpCalculator.StepAt(Now, 30);
        _code = TotpCalculator.Compute(_key, _step, TotpParameters.Default);
    }

    [Benchmark(Baseline = true, Description = "Baseline: Otp.NET VerifyTotp, window (1, 1)")]
    public bool OtpNet_VerifyTotp() => _otpNet.VerifyTotp(Now.UtcDateTime, _code, out _, _window);

    [Benchmark(Description = "Navixy.TwoFactor verifier, window (1, 1), constant time")]
    public bool Ours_FindStep() => TotpCalculator.FindStep(_key, _code, _step, 1, 1, TotpParameters.Default) is not null;

    [Benchmark(Description = "Reference: raw HMACSHA1.HashData of three steps")]
    public bool Raw_HmacSha1ThreeSteps()
    {
        Span<byte> counter = stackalloc byte[8];
        Span<byte> mac = stackalloc byte[20];
        var expected = int.Parse(_code, System.Globalization.CultureInfo.InvariantCulture);
        var matched = false;
        for (var step = _step - 1; step <= _step + 1; step++)
        {
            BinaryPrimitives.WriteInt64BigEndian(counter, step);
            HMACSHA1.HashData(_key, counter, mac);
            var offset = mac[^1] & 0x0F;
            var value = ((mac[offset] & 0x7F) << 24 | mac[offset + 1] << 16 | mac[offset + 2] << 8 | mac[offset + 3]) % 1_000_000;
            matched |= value == expected;
        }

        return matched;
    }
}
