using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Tests.Cryptography;

/// <summary>The key ring's configuration and what its keys protect naming the key (security.md item 36).</summary>
public class KeyRotationCryptographyTests
{
    private static readonly string Old = Convert.ToBase64String(Enumerable.Repeat((byte)3, 32).ToArray());
    private static readonly string New = Convert.ToBase64String(Enumerable.Repeat((byte)4, 32).ToArray());
    private static readonly byte[] Data = [1, 2, 3];

    private static TwoFactorKeyRing Ring(string? keyZero, int primary, params (int Id, string Material)[] keys)
    {
        var options = new TwoFactorOptions { KeyMaterial = keyZero, PrimaryKeyId = primary };
        foreach (var (id, material) in keys)
        {
            options.Keys[id] = material;
        }

        return new TwoFactorKeyRing(Options.Create(options));
    }

    private static string? Validate(TwoFactorOptions options) => new KeyMaterialValidator().Validate(null, options).FailureMessage;

    [Test]
    [Description("security.md item 36: a malformed ring refuses to start")]
    public void Validate_PrimaryMissingIdOutOfRangeOrShortKey_Fails()
    {
        var primaryMissing = new TwoFactorOptions { KeyMaterial = Old, PrimaryKeyId = 2 };
        var outOfRange = new TwoFactorOptions { KeyMaterial = Old };
        outOfRange.Keys[256] = New;
        var shortKey = new TwoFactorOptions { KeyMaterial = Old };
        shortKey.Keys[1] = Convert.ToBase64String(new byte[31]);
        var keyZeroMissing = new TwoFactorOptions();
        keyZeroMissing.Keys[1] = New;
        var good = new TwoFactorOptions { PrimaryKeyId = 1 };
        good.Keys[1] = New;

        Assert.That(Validate(primaryMissing), Does.Contain("PrimaryKeyId is 2"));
        Assert.That(Validate(outOfRange), Does.Contain("key id 256 is out of range"));
        Assert.That(Validate(shortKey), Does.Contain("Keys[1]"));
        Assert.That(Validate(keyZeroMissing), Does.Contain("PrimaryKeyId is 0"));
        Assert.That(Validate(good), Is.Null);
        Assert.That(new RequiredKeyMaterialValidator().Validate(null, good).Succeeded, Is.True, "a ring without key 0 is configured material");
    }

    [Test]
    [Description("security.md item 36: a blob names its key; old blobs stay readable under a new primary; an unknown key fails closed")]
    public void Protector_BlobNamesItsKey_OldReadableUnknownFailsClosed()
    {
        using var before = new AesGcmSecretProtector(Ring(Old, 0), "p");
        using var rotated = new AesGcmSecretProtector(Ring(Old, 1, (1, New)), "p");
        using var after = new AesGcmSecretProtector(Ring(null, 1, (1, New)), "p");

        var oldBlob = before.Protect([9, 9], Data);
        var newBlob = rotated.Protect([9, 9], Data);

        Assert.That(oldBlob[0], Is.EqualTo(1), "a ring whose primary is key 0 writes the format older releases read");
        Assert.That(newBlob[..2], Is.EqualTo(new byte[] { 2, 1 }), "version 2 names key 1");
        Assert.That(rotated.TryUnprotect(oldBlob, Data, out var read) && read.SequenceEqual(new byte[] { 9, 9 }), Is.True);
        Assert.That(rotated.IsProtectedWithPrimaryKey(oldBlob), Is.False);
        Assert.That(rotated.IsProtectedWithPrimaryKey(newBlob), Is.True);
        Assert.That(after.TryUnprotect(newBlob, Data, out _), Is.True);
        Assert.That(after.TryUnprotect(oldBlob, Data, out _), Is.False, "key 0 is gone");
        Assert.That(before.TryUnprotect(newBlob, Data, out _), Is.False, "key 1 is unknown");
        var relabelled = (byte[])newBlob.Clone();
        relabelled[1] = 0;
        Assert.That(rotated.TryUnprotect(relabelled, Data, out _), Is.False, "a blob relabelled to another key fails authentication");
    }

    [Test]
    [Description("security.md item 36: a token names its key and hashes with it; a token naming an unknown key matches nothing")]
    public void Hasher_TokenNamesItsKey_UnknownKeyHashesRandomly()
    {
        var rotated = new ChallengeHasher(Ring(Old, 1, (1, New)));
        var oldNode = new ChallengeHasher(Ring(Old, 0));

        var oldToken = oldNode.CreateToken(FactorTypes.Email);
        var newToken = rotated.CreateToken(FactorTypes.Totp);

        Assert.That(ChallengeToken.KeyIdOf(oldToken), Is.Zero);
        Assert.That(ChallengeToken.KeyIdOf(newToken), Is.EqualTo(1));
        Assert.That(ChallengeToken.IsEmail(oldToken), Is.True);
        Assert.That(ChallengeToken.IsEmail(newToken), Is.False);
        Assert.That(rotated.HashToken(oldToken), Is.EqualTo(oldNode.HashToken(oldToken)), "an old token hashes as before");
        Assert.That(oldNode.HashToken(newToken), Is.Not.EqualTo(oldNode.HashToken(newToken)), "an unknown key gives a fresh random hash");
        Assert.That(Enumerable.Range(0, 256).All(id => ChallengeToken.KeyIdOf(ChallengeToken.Create(FactorTypes.Email, (byte)id)) == id), Is.True);
    }

    [Test]
    [Description("security.md items 36 and 37: a device token names the primary key and hashes with the key it names, bound to tenant and principal; a key the ring lacks gives no hash")]
    public void DeviceTokens_NameTheirKey_HashWithIt_UnknownKeyHasNoHash()
    {
        var tenant = new TenantId(5);
        var before = new DeviceTokenHasher(Ring(Old, 0));
        var rotated = new DeviceTokenHasher(Ring(Old, 1, (1, New)));
        var after = new DeviceTokenHasher(Ring(null, 1, (1, New)));

        var (oldToken, oldHash) = before.Issue(tenant, 7);
        var (newToken, newHash) = rotated.Issue(tenant, 7);

        Assert.That((ChallengeToken.KeyIdOf(oldToken), ChallengeToken.KeyIdOf(newToken)), Is.EqualTo((0, 1)));
        Assert.That(rotated.TryHash(tenant, 7, oldToken, out var oldAgain) && oldAgain.SequenceEqual(oldHash), Is.True, "kept in the ring: hashes as when issued");
        Assert.That(after.TryHash(tenant, 7, newToken, out var newAgain) && newAgain.SequenceEqual(newHash), Is.True);
        Assert.That(after.TryHash(tenant, 7, oldToken, out var none), Is.False, "key 0 removed");
        Assert.That(none, Is.Null);
        Assert.That(rotated.TryHash(tenant, 8, newToken, out var otherPrincipal) && !otherPrincipal.SequenceEqual(newHash), Is.True, "bound to the principal");
        Assert.That(rotated.TryHash(new TenantId(6), 7, newToken, out var otherTenant) && !otherTenant.SequenceEqual(newHash), Is.True, "bound to the tenant");
        var relabelled = newToken[0] + ChallengeToken.Create(FactorTypes.Email, 0)[1..3] + newToken[3..];
        Assert.That(rotated.TryHash(tenant, 7, relabelled, out var relabelledHash) && !relabelledHash.SequenceEqual(newHash), Is.True, "a token relabelled to another key matches nothing");

        // security.md item 37: 256 bits less the email bit and the key id, 247 random bits, are far beyond 128.
        var tokens = Enumerable.Range(0, 1_000).Select(_ => rotated.Issue(tenant, 7).Token).ToArray();
        Assert.That(tokens, Is.Unique.And.All.Length.EqualTo(43));
        Assert.That(tokens.Select(t => ChallengeToken.KeyIdOf(t)), Is.All.EqualTo(1));
    }
}
