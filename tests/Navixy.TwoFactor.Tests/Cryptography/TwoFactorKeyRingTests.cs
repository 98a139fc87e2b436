using Navixy.TwoFactor.Policy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Tests.Diagnostics;

namespace Navixy.TwoFactor.Tests.Cryptography;

public class TwoFactorKeyRingTests
{
    private static readonly string Material = Convert.ToBase64String(new byte[32]);
    private static readonly string OtherMaterial = Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray());

    private static TwoFactorKeyRing Ring(string? material, ILoggerFactory? logs = null) =>
        new(Options.Create(new TwoFactorOptions { KeyMaterial = material }), logs);

    [Test]
    public void DeriveKey_EachPurpose_GetsItsOwn32ByteKey()
    {
        var ring = Ring(Material);

        var token = ring.DeriveKey("challenge-token/v1");
        var code = ring.DeriveKey("email-code/v1");

        Assert.That(token, Has.Length.EqualTo(32));
        Assert.That(code, Is.Not.EqualTo(token));
        Assert.That(token, Is.Not.EqualTo(Convert.FromBase64String(Material)), "the material itself is never used as a key");
    }

    [Test]
    public void DeriveKey_SameMaterial_SameKeysOnEveryNode()
    {
        Assert.That(Ring(Material).DeriveKey("x"), Is.EqualTo(Ring(Material).DeriveKey("x")));
        Assert.That(Ring(Material).DeriveKey("x"), Is.Not.EqualTo(Ring(OtherMaterial).DeriveKey("x")));
    }

    [Test]
    public void Hasher_DigestDependsOnKeyTokenAndCode()
    {
        var hasher = new ChallengeHasher(Ring(Material));
        var other = new ChallengeHasher(Ring(OtherMaterial));
        var token = ChallengeToken.Create(FactorTypes.Email);
        var hash = hasher.HashToken(token);

        Assert.That(hash, Is.EqualTo(hasher.HashToken(token)));
        Assert.That(hash, Is.Not.EqualTo(other.HashToken(token)));
        Assert.That(hasher.DigestCode(token, hash, "012345"), Is.EqualTo(hasher.DigestCode(token, hash, "012345")));
        Assert.That(hasher.DigestCode(token, hash, "012345"), Is.Not.EqualTo(hasher.DigestCode(token, hash, "012346")));
        var another = ChallengeToken.Create(FactorTypes.Email);
        Assert.That(hasher.DigestCode(token, hash, "012345"), Is.Not.EqualTo(hasher.DigestCode(another, hasher.HashToken(another), "012345")));
        Assert.That(hasher.DigestCode(token, hash, "012345"), Is.Not.EqualTo(other.DigestCode(token, hash, "012345")));
    }

    [Test]
    public void NoKeyMaterial_UsesEphemeralKeyAndWarns()
    {
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));

        var ring = Ring(null, factory);

        Assert.That(ring.IsEphemeral, Is.True);
        var warning = logs.Entries.Single();
        Assert.That(warning.Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(warning.Message, Does.Contain("ephemeral random key"));
        Assert.That(Ring(null).DeriveKey("x"), Is.Not.EqualTo(Ring(null).DeriveKey("x")), "a fresh key per process");
    }

    [Test]
    public void ConfiguredKeyMaterial_IsNotEphemeral() => Assert.That(Ring(Material).IsEphemeral, Is.False);

    [TestCase("not base64!")]
    [TestCase("AAAA")]
    [TestCase("")]
    public void Engine_MalformedOrShortKeyMaterial_RefusesToStart(string material)
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor(o => o.KeyMaterial = material);
        using var provider = services.BuildServiceProvider();

        Assert.That(() => provider.GetRequiredService<ITwoFactorChallenges>(), Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("KeyMaterial"));
    }

    [Test]
    public void Engine_KeyMaterialRequiredButMissing_RefusesToStart()
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor().RequireKeyMaterial();
        using var provider = services.BuildServiceProvider();

        Assert.That(() => provider.GetRequiredService<IOptions<TwoFactorOptions>>().Value, Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("KeyMaterial is required"));
    }

    [Test]
    public void Engine_KeyMaterialRequiredAndConfigured_Starts()
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor(o => o.KeyMaterial = Material).RequireKeyMaterial().UseInMemoryStores();
        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<ITwoFactorChallenges>(), Is.Not.Null);
        Assert.That(provider.GetRequiredService<TwoFactorKeyRing>().IsEphemeral, Is.False);
    }
}
