using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Web;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Tests.Totp;

public class OtpAuthUriTests
{
    [TestCase(TotpAlgorithm.Sha1, 6, 30)]
    [TestCase(TotpAlgorithm.Sha256, 8, 60)]
    [TestCase(TotpAlgorithm.Sha512, 8, 30)]
    public void Create_ParsedBack_GivesParametersAndCodesMatchAnIndependentHmac(TotpAlgorithm algorithm, int digits, int period)
    {
        var secret = RandomNumberGenerator.GetBytes(20);
        var parameters = new TotpParameters(algorithm, digits, period);

        var uri = new Uri(OtpAuthUri.Create("Fleet & Co", "driver@example.com", secret, parameters));

        Assert.That(uri.Scheme, Is.EqualTo("otpauth"));
        Assert.That(uri.Host, Is.EqualTo("totp"));
        Assert.That(Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')), Is.EqualTo("Fleet & Co:driver@example.com"));
        var query = HttpUtility.ParseQueryString(uri.Query);
        Assert.That(query["issuer"], Is.EqualTo("Fleet & Co"));
        Assert.That(query["algorithm"], Is.EqualTo(algorithm.ToString().ToUpperInvariant()));
        Assert.That(query["digits"], Is.EqualTo(digits.ToString(CultureInfo.InvariantCulture)));
        Assert.That(query["period"], Is.EqualTo(period.ToString(CultureInfo.InvariantCulture)));
        var decoded = DecodeBase32(query["secret"]!);
        Assert.That(decoded, Is.EqualTo(secret));

        for (long step = 1000; step < 1005; step++)
        {
            Assert.That(TotpCalculator.Compute(secret, step, parameters), Is.EqualTo(IndependentHotp(decoded, step, algorithm, digits)));
        }
    }

    [TestCase(0)]
    [TestCase(10)]
    [TestCase(15)]
    public void Create_SecretShorterThan16Bytes_IsRefused(int length)
    {
        Assert.That(() => OtpAuthUri.Create("Fleet", "driver", new byte[length], TotpParameters.Default), Throws.ArgumentException);
        Assert.That(OtpAuthUri.Create("Fleet", "driver", new byte[16], TotpParameters.Default), Does.StartWith("otpauth://totp/"));
    }

    /// <summary>RFC 4226 §5.3 with the BCL's HMAC, not Otp.NET.</summary>
    private static string IndependentHotp(byte[] key, long counter, TotpAlgorithm algorithm, int digits)
    {
        Span<byte> message = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(message, counter);
        var mac = algorithm switch
        {
            TotpAlgorithm.Sha256 => HMACSHA256.HashData(key, message),
            TotpAlgorithm.Sha512 => HMACSHA512.HashData(key, message),
#pragma warning disable CA5350 // RFC 6238 authenticators use HMAC-SHA1; this is the reference computation.
            _ => HMACSHA1.HashData(key, message),
#pragma warning restore CA5350
        };
        var offset = mac[^1] & 0x0F;
        var binary = ((mac[offset] & 0x7F) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
        var modulo = (int)Math.Pow(10, digits);
        return (binary % modulo).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    private static byte[] DecodeBase32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('='))
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
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
