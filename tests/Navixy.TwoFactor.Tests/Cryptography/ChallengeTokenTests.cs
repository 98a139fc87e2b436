using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Tests.Cryptography;

public class ChallengeTokenTests
{
    [Test]
    public void Create_IsBase64UrlOf32RandomBytes()
    {
        var token = ChallengeToken.Create(FactorTypes.Email);

        Assert.That(token, Has.Length.EqualTo(43));
        Assert.That(token, Does.Match("^[A-Za-z0-9_-]{43}$"));
        var base64 = token.Replace('-', '+').Replace('_', '/') + "=";
        Assert.That(Convert.FromBase64String(base64), Has.Length.EqualTo(32));
    }

    [Test]
    public void IsEmail_TellsEmailTokensFromAuthenticatorTokens()
    {
        for (var i = 0; i < 1_000; i++)
        {
            Assert.That(ChallengeToken.IsEmail(ChallengeToken.Create(FactorTypes.Email)), Is.True);
            Assert.That(ChallengeToken.IsEmail(ChallengeToken.Create(FactorTypes.Totp)), Is.False);
        }
    }

    [Test]
    public void Create_EachFactorKeepsTheOtherBitsRandom()
    {
        // Only the top bit of the first byte is fixed: the first character still takes 32 values per factor.
        var emailFirst = Enumerable.Range(0, 5_000).Select(_ => ChallengeToken.Create(FactorTypes.Email)[0]).ToHashSet();
        var totpFirst = Enumerable.Range(0, 5_000).Select(_ => ChallengeToken.Create(FactorTypes.Totp)[0]).ToHashSet();

        Assert.That(emailFirst, Has.Count.EqualTo(32));
        Assert.That(totpFirst, Has.Count.EqualTo(32));
        Assert.That(emailFirst.Overlaps(totpFirst), Is.False);
    }

    [Test]
    public void Create_TenThousandTokens_AreAllDistinct()
    {
        var tokens = Enumerable.Range(0, 10_000).Select(_ => ChallengeToken.Create(FactorTypes.Email)).ToHashSet();

        Assert.That(tokens, Has.Count.EqualTo(10_000));
    }

    [Test]
    public void IsWellFormed_IssuedToken_IsTrue() => Assert.That(ChallengeToken.IsWellFormed(ChallengeToken.Create(FactorTypes.Email)), Is.True);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("abc")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [TestCase(" AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase("ＡAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void IsWellFormed_AnythingElse_IsFalse(string? token) => Assert.That(ChallengeToken.IsWellFormed(token), Is.False);
}
