using System.Text;

namespace Navixy.TwoFactor.Sample.Tests.Authenticator;

/// <summary>The tests' own authenticator app is checked against the RFC before the sample is checked against it.</summary>
public class TestAuthenticatorTests
{
    // RFC 6238 Appendix B: the SHA1 key is the ASCII string "12345678901234567890".
    private static readonly string Rfc6238Secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    [TestCase(59L, "94287082", Description = "RFC 6238 Appendix B")]
    [TestCase(1111111109L, "07081804", Description = "RFC 6238 Appendix B")]
    [TestCase(1234567890L, "89005924", Description = "RFC 6238 Appendix B")]
    [TestCase(20000000000L, "65353130", Description = "RFC 6238 Appendix B")]
    public void Code_Rfc6238Vectors(long unixSeconds, string expected)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);

        Assert.That(TestAuthenticator.Code(Rfc6238Secret, at, digits: 8), Is.EqualTo(expected));
        Assert.That(TestAuthenticator.Code(Rfc6238Secret, at), Is.EqualTo(expected[2..]), "six digits are the last six");
    }

    [Test]
    public void FromBase32_DecodesTheRfcKey() =>
        Assert.That(Encoding.ASCII.GetString(TestAuthenticator.FromBase32(Rfc6238Secret)), Is.EqualTo("12345678901234567890"));
}
