using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Tests.Cryptography;

public class TotpFactorTests
{
    private static readonly TenantId Tenant = new(5);

    [TestCase(0)]
    [TestCase(10)]
    [TestCase(15)]
    public void TryUnprotect_AuthenticSecretShorterThan16Bytes_IsRefused(int length)
    {
        using var protector = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));
        var factor = CreateFactor(protector);

        var blob = factor.Protect(Tenant, 7, new byte[length]);

        Assert.That(factor.TryUnprotect(Tenant, 7, blob, out var secret), Is.False);
        Assert.That(secret, Is.Empty);
    }

    [Test]
    public void TryUnprotect_SixteenAndTwentyBytes_AreRead()
    {
        using var protector = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));
        var factor = CreateFactor(protector);

        foreach (var length in new[] { TotpFactor.MinSecretLength, TotpFactor.SecretLength })
        {
            var plain = RandomNumberGenerator.GetBytes(length);
            Assert.That(factor.TryUnprotect(Tenant, 7, factor.Protect(Tenant, 7, plain), out var secret), Is.True);
            Assert.That(secret, Is.EqualTo(plain));
        }
    }

    [Test]
    public void AssociatedData_DiffersForEveryTenantAndPrincipal()
    {
        var data = new[]
        {
            TotpFactor.AssociatedData(new TenantId(1), 2),
            TotpFactor.AssociatedData(new TenantId(2), 1),
            TotpFactor.AssociatedData(new TenantId(1), 3),
            TotpFactor.AssociatedData(new TenantId(1), 2),
        };

        Assert.That(data[0], Is.Not.EqualTo(data[1]));
        Assert.That(data[0], Is.Not.EqualTo(data[2]));
        Assert.That(data[0], Is.EqualTo(data[3]));
    }

    [Test]
    public void CreateRecoveryCodes_TheConfiguredCountWithDistinctLookupIdsAndMatchingHashes()
    {
        using var protector = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));
        var options = new TwoFactorOptions();
        options.Totp.RecoveryCodeCount = 12;
        options.Totp.RecoveryCodeIterations = TotpOptions.MinRecoveryCodeIterations;
        var factor = new TotpFactor(protector, Options.Create(options));

        var (display, stored) = factor.CreateRecoveryCodes();

        Assert.That(display, Has.Length.EqualTo(12).And.Unique);
        Assert.That(stored.Select(s => s.LookupId), Is.Unique);
        Assert.That(stored.Select(s => s.Iterations), Is.All.EqualTo(TotpOptions.MinRecoveryCodeIterations));
        for (var i = 0; i < display.Length; i++)
        {
            Assert.That(RecoveryCodes.Matches(RecoveryCodes.Normalize(display[i])!, stored[i]), Is.True);
        }
    }

    private static TotpFactor CreateFactor(ISecretProtector protector)
    {
        return new TotpFactor(protector, Options.Create(new TwoFactorOptions()));
    }
}
