using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Sample.Credentials;

namespace Navixy.TwoFactor.Sample.Tests.Credentials;

public class PasswordHasherTests
{
    private static readonly PasswordHasher Hasher = new(Options.Create(new CredentialOptions { PasswordIterations = CredentialOptions.MinPasswordIterations }));

    [Test]
    public void Verify_RightPassword_Passes()
    {
        var stored = Hasher.Hash("correct horse");

        Assert.That(PasswordHasher.Verify(stored, "correct horse"), Is.True);
    }

    [TestCase("correct hors")]
    [TestCase("correct horse ")]
    [TestCase("Correct horse")]
    [TestCase("")]
    public void Verify_OtherPassword_Fails(string attempt)
    {
        var stored = Hasher.Hash("correct horse");

        Assert.That(PasswordHasher.Verify(stored, attempt), Is.False);
    }

    [Test]
    public void Hash_SamePasswordTwice_UsesDifferentSalts()
    {
        var first = Hasher.Hash("same");
        var second = Hasher.Hash("same");

        Assert.That(first.Salt, Is.Not.EqualTo(second.Salt));
        Assert.That(first.Digest, Is.Not.EqualTo(second.Digest));
        Assert.That(first.Salt, Has.Length.EqualTo(16));
        Assert.That(first.Digest, Has.Length.EqualTo(32));
    }

    [Test]
    public void Hash_KeepsTheIterationCount_AndToStringShowsNoBytes()
    {
        var stored = Hasher.Hash("pw");

        Assert.That(stored.Iterations, Is.EqualTo(CredentialOptions.MinPasswordIterations));
        Assert.That(stored.ToString(), Is.EqualTo("PBKDF2-SHA256 (100000 iterations)"));
    }

    [Test]
    public void VerifyDecoy_AnyPassword_Fails() =>
        Assert.That(Hasher.VerifyDecoy("anything"), Is.False);

    [TestCase(99_999)]
    [TestCase(10_000_001)]
    public void Options_IterationsOutOfRange_AreRejected(int iterations)
    {
        var result = new CredentialOptionsValidator().Validate(null, new CredentialOptions { PasswordIterations = iterations });

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain("PasswordIterations"));
    }

    [Test]
    public void Options_Defaults_AreValid() =>
        Assert.That(new CredentialOptionsValidator().Validate(null, new CredentialOptions()).Succeeded, Is.True);
}
