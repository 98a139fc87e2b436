using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Totp;
using OtpNet;
using AuthenticatorApp = OtpNet.Totp;

namespace Navixy.TwoFactor.AspNetCore.Tests.DataProtection;

/// <summary>
/// <c>UseDataProtection()</c> (issue 14 item 1): authenticator secrets protected by ASP.NET Core Data Protection, bound to
/// their principal, failing closed on anything else, and moved to Data Protection's current key by the re-wrap.
/// </summary>
public sealed class DataProtectionSecretProtectorTests
{
    private const string Purpose = "Navixy.TwoFactor.AuthenticatorSecrets.v1";
    private static readonly string KeyMaterial = Convert.ToBase64String(Enumerable.Range(40, 32).Select(i => (byte)i).ToArray());
    private static readonly byte[] Secret = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
    private static readonly byte[] Principal7 = [7, 7];
    private static readonly byte[] Principal8 = [8, 8];

    [Test]
    [Description("issue 14 item 1: a secret round-trips through Data Protection under the documented purpose, bound to its principal; a tampered blob fails closed")]
    public async Task Protect_RoundTrips_UnderTheDocumentedPurpose_BoundToItsPrincipal()
    {
        await using var provider = Provider(dataProtection: true);
        var protector = provider.GetRequiredService<ISecretProtector>();

        var blob = protector.Protect(Secret, Principal7);
        var tampered = (byte[])blob.Clone();
        tampered[^1] ^= 1;

        Assert.That(protector, Is.InstanceOf<IKeyRingSecretProtector>(), "the re-wrap can tell old keys");
        Assert.That(protector.TryUnprotect(blob, Principal7, out var plain) && plain.SequenceEqual(Secret), Is.True);
        Assert.That(protector.TryUnprotect(blob, Principal8, out _), Is.False, "copied to another principal");
        Assert.That(protector.TryUnprotect(tampered, Principal7, out _), Is.False);
        var byPurpose = provider.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).CreateProtector(Convert.ToBase64String(Principal7));
        Assert.That(byPurpose.Unprotect(blob), Is.EqualTo(Secret), "purpose, then the associated data in base64");
        Assert.That(((IKeyRingSecretProtector)protector).IsProtectedWithPrimaryKey(blob), Is.True);
    }

    [Test]
    [Description("issue 14 item 1: neither protector reads the other's blob, and nothing thrown; with readPreviousSecrets the built-in protector's blobs are read and count as under an old key")]
    public async Task Blobs_OfTheOtherProtector_FailClosed_UnlessPreviousSecretsAreRead()
    {
        await using var builtIn = Provider(dataProtection: false);
        await using var dataProtection = Provider(dataProtection: true);
        await using var switching = Provider(dataProtection: true, readPreviousSecrets: true);
        var aes = builtIn.GetRequiredService<ISecretProtector>();
        var dp = dataProtection.GetRequiredService<ISecretProtector>();
        var both = (IKeyRingSecretProtector)switching.GetRequiredService<ISecretProtector>();

        var aesBlob = aes.Protect(Secret, Principal7);
        var dpBlob = dp.Protect(Secret, Principal7);

        Assert.That(dp.TryUnprotect(aesBlob, Principal7, out _), Is.False);
        Assert.That(aes.TryUnprotect(dpBlob, Principal7, out _), Is.False);
        Assert.That(both.TryUnprotect(aesBlob, Principal7, out var plain) && plain.SequenceEqual(Secret), Is.True, "read by the protector registered before");
        Assert.That(both.TryUnprotect(aesBlob, Principal8, out _), Is.False, "still bound to its principal");
        Assert.That(both.IsProtectedWithPrimaryKey(aesBlob), Is.False, "so the re-wrap moves it");
        Assert.That(both.TryUnprotect(dpBlob, Principal7, out _), Is.False, "another key ring (another provider's ephemeral keys)");
        Assert.That(both.Protect(Secret, Principal7)[..4], Is.EqualTo(new byte[] { 0x09, 0xF0, 0xC9, 0xF0 }), "new secrets are Data Protection's");
    }

    [TestCase(0)]
    [TestCase(20)]
    [TestCase(64)]
    [TestCase(10_000)]
    public async Task TryUnprotect_Garbage_AnswersFalse_NeverThrows(int length)
    {
        await using var provider = Provider(dataProtection: true, readPreviousSecrets: true);
        var protector = (IKeyRingSecretProtector)provider.GetRequiredService<ISecretProtector>();
        var random = RandomNumberGenerator.GetBytes(length);
        var withHeader = new byte[] { 0x09, 0xF0, 0xC9, 0xF0 }.Concat(random).ToArray();

        Assert.That(protector.TryUnprotect(random, Principal7, out _), Is.False);
        Assert.That(protector.TryUnprotect(withHeader, Principal7, out _), Is.False, "Data Protection's header over junk");
        Assert.That(protector.IsProtectedWithPrimaryKey(random), Is.False);
        Assert.That(protector.ToString(), Does.Not.Contain(Convert.ToBase64String(Secret)).And.Not.Contain(KeyMaterial));
    }

    [Test]
    [Description("issue 14 item 1: after Data Protection's ring gets a new default key, old secrets still verify, the re-wrap moves each once, and logins pass after it")]
    public async Task Rewrap_AfterANewDefaultKey_MovesEverySecret_AndLoginsPass()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var keys = new MemoryKeyRepository();
        await using var provider = Provider(dataProtection: true, time: time, keys: keys);
        var tenant = new TenantId(31);
        var apps = new Dictionary<long, AuthenticatorApp>();
        foreach (var principal in new long[] { 7, 8, 9 })
        {
            apps[principal] = await EnrolAsync(provider, time, tenant, principal);
        }

        provider.GetRequiredService<IKeyManager>().CreateNewKey(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));
        var rotation = provider.GetRequiredService<ITwoFactorKeyRotation>();
        time.Advance(TimeSpan.FromSeconds(30));
        var beforeRewrap = await LoginAsync(provider, time, tenant, 7, apps[7]);
        var rewrap = await rotation.RewrapSecretsAsync(tenant, batchSize: 2);
        var again = await rotation.RewrapSecretsAsync(tenant);
        time.Advance(TimeSpan.FromSeconds(30));
        var after = new List<ChallengeVerifyOutcome>();
        foreach (var (principal, app) in apps)
        {
            after.Add(await LoginAsync(provider, time, tenant, principal, app));
        }

        Assert.That(keys.Count, Is.EqualTo(2), "the first key and the new default");
        Assert.That(beforeRewrap, Is.EqualTo(ChallengeVerifyOutcome.Passed), "a secret under the older key still reads");
        Assert.That(rewrap, Is.EqualTo(new KeyRewrapResult(KeyRewrapOutcome.Completed, 3, 3, 0, 0)));
        Assert.That(again, Is.EqualTo(new KeyRewrapResult(KeyRewrapOutcome.Completed, 3, 0, 0, 0)), "nothing left under the older key");
        Assert.That(after, Is.All.EqualTo(ChallengeVerifyOutcome.Passed));
    }

    [Test]
    public async Task UseDataProtection_WithoutDataProtectionRegistered_RefusesToStart_SayingWhy()
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor(o => o.KeyMaterial = KeyMaterial).UseInMemoryStores().UseDataProtection();
        await using var provider = services.BuildServiceProvider();

        Assert.That(
            () => provider.GetRequiredService<IStartupValidator>().Validate(),
            Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("AddDataProtection()").And.Message.Not.Contains(KeyMaterial));
    }

    private static ServiceProvider Provider(bool dataProtection, bool readPreviousSecrets = false, FakeTimeProvider? time = null, MemoryKeyRepository? keys = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time ?? new FakeTimeProvider());
        var builder = services.AddNavixyTwoFactor(o => o.KeyMaterial = KeyMaterial).UseInMemoryStores();
        if (dataProtection)
        {
            var dp = services.AddDataProtection().SetApplicationName("navixy-twofactor-tests");
            if (keys is null)
            {
                dp.UseEphemeralDataProtectionProvider();
            }
            else
            {
                services.Configure<KeyManagementOptions>(o => o.XmlRepository = keys);
            }

            builder.UseDataProtection(readPreviousSecrets);
        }

        return services.BuildServiceProvider();
    }

    private static async Task<AuthenticatorApp> EnrolAsync(ServiceProvider provider, FakeTimeProvider time, TenantId tenant, long principal)
    {
        Assert.That((await provider.GetRequiredService<ITwoFactorDirectory>().RegisterAccountAsync(tenant, principal)).Succeeded, Is.True);
        Assert.That((await provider.GetRequiredService<ITwoFactorSettings>().UpdateAsync(tenant, SettingsTarget.Selected(principal), TwoFactorSetting.Allowed(FactorTypes.Totp))).Succeeded, Is.True);
        var enrollment = provider.GetRequiredService<ITotpEnrollment>();
        var begun = await enrollment.BeginAsync(tenant, principal, "Fleet", "driver");
        Assert.That(begun.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Begun));
        var app = new AuthenticatorApp(Base32Encoding.ToBytes(begun.Secret));
        Assert.That((await enrollment.ConfirmAsync(tenant, principal, app.ComputeTotp(time.GetUtcNow().UtcDateTime))).Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
        return app;
    }

    private static async Task<ChallengeVerifyOutcome> LoginAsync(ServiceProvider provider, FakeTimeProvider time, TenantId tenant, long principal, AuthenticatorApp app)
    {
        var challenges = provider.GetRequiredService<ITwoFactorChallenges>();
        var started = await challenges.StartAsync(tenant, principal);
        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Started), started.ToString());
        return (await challenges.VerifyAsync(tenant, started.Token, app.ComputeTotp(time.GetUtcNow().UtcDateTime))).Outcome;
    }

    /// <summary>Data Protection's key ring in memory, so a test can add a key and count them.</summary>
    private sealed class MemoryKeyRepository : IXmlRepository
    {
        private readonly List<XElement> _elements = [];

        public int Count
        {
            get
            {
                lock (_elements)
                {
                    return _elements.Count;
                }
            }
        }

        public IReadOnlyCollection<XElement> GetAllElements()
        {
            lock (_elements)
            {
                return _elements.Select(e => new XElement(e)).ToArray();
            }
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            lock (_elements)
            {
                _elements.Add(new XElement(element));
            }
        }
    }
}
