using System.Text;
using Navixy.TwoFactor.Cryptography;

namespace Navixy.TwoFactor.Tests.Cryptography;

public class TotpCalculatorTests
{
    private static readonly byte[] Sha1Key = Encoding.ASCII.GetBytes("12345678901234567890");
    private static readonly byte[] Sha256Key = Encoding.ASCII.GetBytes("12345678901234567890123456789012");
    private static readonly byte[] Sha512Key = Encoding.ASCII.GetBytes("1234567890123456789012345678901234567890123456789012345678901234");

    private static byte[] KeyFor(TotpAlgorithm algorithm) => algorithm switch
    {
        TotpAlgorithm.Sha256 => Sha256Key,
        TotpAlgorithm.Sha512 => Sha512Key,
        _ => Sha1Key,
    };

    [TestCase(59L, "94287082", TotpAlgorithm.Sha1, Description = "RFC 6238 Appendix B, T=59, SHA1")]
    [TestCase(59L, "46119246", TotpAlgorithm.Sha256, Description = "RFC 6238 Appendix B, T=59, SHA256")]
    [TestCase(59L, "90693936", TotpAlgorithm.Sha512, Description = "RFC 6238 Appendix B, T=59, SHA512")]
    [TestCase(1111111109L, "07081804", TotpAlgorithm.Sha1, Description = "RFC 6238 Appendix B, T=1111111109, SHA1")]
    [TestCase(1111111109L, "68084774", TotpAlgorithm.Sha256, Description = "RFC 6238 Appendix B, T=1111111109, SHA256")]
    [TestCase(1111111109L, "25091201", TotpAlgorithm.Sha512, Description = "RFC 6238 Appendix B, T=1111111109, SHA512")]
    [TestCase(1111111111L, "14050471", TotpAlgorithm.Sha1, Description = "RFC 6238 Appendix B, T=1111111111, SHA1")]
    [TestCase(1111111111L, "67062674", TotpAlgorithm.Sha256, Description = "RFC 6238 Appendix B, T=1111111111, SHA256")]
    [TestCase(1111111111L, "99943326", TotpAlgorithm.Sha512, Description = "RFC 6238 Appendix B, T=1111111111, SHA512")]
    [TestCase(1234567890L, "89005924", TotpAlgorithm.Sha1, Description = "RFC 6238 Appendix B, T=1234567890, SHA1")]
    [TestCase(1234567890L, "91819424", TotpAlgorithm.Sha256, Description = "RFC 6238 Appendix B, T=1234567890, SHA256")]
    [TestCase(1234567890L, "93441116", TotpAlgorithm.Sha512, Description = "RFC 6238 Appendix B, T=1234567890, SHA512")]
    [TestCase(2000000000L, "69279037", TotpAlgorithm.Sha1, Description = "RFC 6238 Appendix B, T=2000000000, SHA1")]
    [TestCase(2000000000L, "90698825", TotpAlgorithm.Sha256, Description = "RFC 6238 Appendix B, T=2000000000, SHA256")]
    [TestCase(2000000000L, "38618901", TotpAlgorithm.Sha512, Description = "RFC 6238 Appendix B, T=2000000000, SHA512")]
    [TestCase(20000000000L, "65353130", TotpAlgorithm.Sha1, Description = "RFC 6238 Appendix B, T=20000000000, SHA1")]
    [TestCase(20000000000L, "77737706", TotpAlgorithm.Sha256, Description = "RFC 6238 Appendix B, T=20000000000, SHA256")]
    [TestCase(20000000000L, "47863826", TotpAlgorithm.Sha512, Description = "RFC 6238 Appendix B, T=20000000000, SHA512")]
    public void Rfc6238Vector_ComputesAndVerifies(long unixSeconds, string expected, TotpAlgorithm algorithm)
    {
        var parameters = new TotpParameters(algorithm, 8, 30);
        var step = TotpCalculator.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds), 30);
        var key = KeyFor(algorithm);

        Assert.That(TotpCalculator.Compute(key, step, parameters), Is.EqualTo(expected));
        Assert.That(TotpCalculator.FindStep(key, expected, step, 0, 0, parameters), Is.EqualTo(step));
    }

    [TestCase(59L, "94287082", Description = "RFC 6238 Appendix B, T=59: neighbouring steps fail without a window")]
    [TestCase(1234567890L, "89005924", Description = "RFC 6238 Appendix B, T=1234567890: neighbouring steps fail without a window")]
    public void Rfc6238Vector_NeighbouringStepsWrongKeyAndWrongAlgorithm_Fail(long unixSeconds, string expected)
    {
        var sha1 = new TotpParameters(TotpAlgorithm.Sha1, 8, 30);
        var step = TotpCalculator.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds), 30);

        Assert.That(TotpCalculator.FindStep(Sha1Key, expected, step - 1, 0, 0, sha1), Is.Null);
        Assert.That(TotpCalculator.FindStep(Sha1Key, expected, step + 1, 0, 0, sha1), Is.Null);
        Assert.That(TotpCalculator.FindStep(Sha256Key, expected, step, 0, 0, sha1), Is.Null, "wrong key");
        Assert.That(TotpCalculator.FindStep(Sha1Key, expected, step, 0, 0, sha1 with { Algorithm = TotpAlgorithm.Sha256 }), Is.Null, "wrong algorithm");
    }

    [TestCase(0L, "755224", Description = "RFC 4226 Appendix D, count 0")]
    [TestCase(1L, "287082", Description = "RFC 4226 Appendix D, count 1")]
    [TestCase(2L, "359152", Description = "RFC 4226 Appendix D, count 2")]
    [TestCase(3L, "969429", Description = "RFC 4226 Appendix D, count 3")]
    [TestCase(4L, "338314", Description = "RFC 4226 Appendix D, count 4")]
    [TestCase(5L, "254676", Description = "RFC 4226 Appendix D, count 5")]
    [TestCase(6L, "287922", Description = "RFC 4226 Appendix D, count 6")]
    [TestCase(7L, "162583", Description = "RFC 4226 Appendix D, count 7")]
    [TestCase(8L, "399871", Description = "RFC 4226 Appendix D, count 8")]
    [TestCase(9L, "520489", Description = "RFC 4226 Appendix D, count 9")]
    public void Rfc4226Vector_HotpValueMatches(long counter, string expected)
    {
        Assert.That(TotpCalculator.Compute(Sha1Key, counter, TotpParameters.Default), Is.EqualTo(expected));
    }

    [Test]
    public void FindStep_WindowOneEitherSide_AcceptsNeighboursAndRefusesTwoAway()
    {
        var parameters = TotpParameters.Default;
        const long current = 1_000_000;

        for (var offset = -2; offset <= 2; offset++)
        {
            var code = TotpCalculator.Compute(Sha1Key, current + offset, parameters);
            var matched = TotpCalculator.FindStep(Sha1Key, code, current, 1, 1, parameters);
            Assert.That(matched, Is.EqualTo(Math.Abs(offset) <= 1 ? current + offset : null), $"offset {offset}");
        }
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("0")]
    [TestCase("12345")]
    [TestCase("1234567")]
    [TestCase(" 123456")]
    [TestCase("１２３４５６")]
    [TestCase("٠١٢٣٤٥")]
    [TestCase("12345a")]
    public void FindStep_MalformedCode_IsRefusedWithoutThrowing(string? code)
    {
        Assert.That(TotpCalculator.FindStep(Sha1Key, code!, 1000, 1, 1, TotpParameters.Default), Is.Null);
    }

    [Test]
    public void FindStep_TenMegabyteCode_IsRefusedWithoutThrowing()
    {
        Assert.That(TotpCalculator.FindStep(Sha1Key, new string('1', 10 * 1024 * 1024), 1000, 1, 1, TotpParameters.Default), Is.Null);
    }

    [Test]
    public void StepAt_NegativeTimes_RoundTowardMinusInfinity()
    {
        Assert.That(TotpCalculator.StepAt(DateTimeOffset.FromUnixTimeSeconds(-1), 30), Is.EqualTo(-1));
        Assert.That(TotpCalculator.StepAt(DateTimeOffset.FromUnixTimeSeconds(29), 30), Is.EqualTo(0));
        Assert.That(TotpCalculator.StepAt(DateTimeOffset.FromUnixTimeSeconds(30), 30), Is.EqualTo(1));
    }
}
