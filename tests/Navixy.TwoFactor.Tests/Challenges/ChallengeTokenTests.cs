using Navixy.TwoFactor.Challenges;

namespace Navixy.TwoFactor.Tests.Challenges;

public class ChallengeTokenTests
{
    [Test]
    public void Create_IsBase64UrlOf32RandomBytes()
    {
        var token = ChallengeToken.Create();

        Assert.That(token, Has.Length.EqualTo(43));
        Assert.That(token, Does.Match("^[A-Za-z0-9_-]{43}$"));
        var base64 = token.Replace('-', '+').Replace('_', '/') + "=";
        Assert.That(Convert.FromBase64String(base64), Has.Length.EqualTo(32));
    }

    [Test]
    public void Create_TenThousandTokens_AreAllDistinct()
    {
        var tokens = Enumerable.Range(0, 10_000).Select(_ => ChallengeToken.Create()).ToHashSet();

        Assert.That(tokens, Has.Count.EqualTo(10_000));
    }

    [Test]
    public void IsWellFormed_IssuedToken_IsTrue() => Assert.That(ChallengeToken.IsWellFormed(ChallengeToken.Create()), Is.True);

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
