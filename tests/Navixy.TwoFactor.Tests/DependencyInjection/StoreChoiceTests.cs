using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.InMemory;
using Navixy.TwoFactor.Tests.Challenges;

namespace Navixy.TwoFactor.Tests.DependencyInjection;

/// <summary>Issue 14 item 5: the store choice is explicit, and a wrong one fails at start rather than warning.</summary>
public class StoreChoiceTests
{
    [Test]
    [Description("issue 14 item 5: configured key material over in-memory stores nobody chose fails at start")]
    public void KeyMaterial_OverUnchosenInMemoryStores_FailsAtStart()
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor(o => o.KeyMaterial = ChallengeTestHost.KeyMaterial);
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(failure!.Message, Does.Contain("UsePostgreSql").And.Contain("UseInMemoryStores()").And.Contain("IChallengeStore"));
        Assert.That(failure.Message, Does.Not.Contain(ChallengeTestHost.KeyMaterial), "the message never carries the key");
    }

    [Test]
    public void KeyMaterial_WithInMemoryStoresChosen_Starts()
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor(o => o.KeyMaterial = ChallengeTestHost.KeyMaterial).UseInMemoryStores();
        using var provider = services.BuildServiceProvider();

        Assert.That(() => provider.GetRequiredService<IStartupValidator>().Validate(), Throws.Nothing);
        Assert.That(provider.GetRequiredService<IChallengeStore>(), Is.SameAs(provider.GetRequiredService<InMemoryChallengeStore>()));
    }

    [Test]
    public void NoKeyMaterial_InMemoryDefaults_Start()
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor();
        using var provider = services.BuildServiceProvider();

        Assert.That(() => provider.GetRequiredService<IStartupValidator>().Validate(), Throws.Nothing);
        Assert.That(provider.GetRequiredService<ITwoFactorChallenges>(), Is.Not.Null);
    }

    [Test]
    public void KeyMaterial_SomeStoresStillInMemory_NamesThem()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IChallengeStore, Diagnostics.TwoFactorAuditTests.BrokenStore>();
        services.AddNavixyTwoFactor(o => o.KeyMaterial = ChallengeTestHost.KeyMaterial);
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<TwoFactorOptions>>().Value);
        Assert.That(failure!.Message, Does.Contain("ITotpEnrollmentStore").And.Contain("IPrincipalPolicyStore").And.Not.Contain("IChallengeStore"));
    }

    [Test]
    [Description("issue 14 item 5: a scoped store registration is refused at start with a message saying why")]
    public void ScopedStore_RefusedAtStart_SayingWhy()
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor().UseInMemoryStores();
        services.AddScoped<IChallengeStore>(static sp => sp.GetRequiredService<InMemoryChallengeStore>());
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(failure!.Message, Does.Contain("IChallengeStore is registered as Scoped; register it as a singleton").And.Contain("lockouts"));
    }

    [Test]
    public void UseInMemoryStores_ReplacesStoresRegisteredBefore()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IChallengeStore, Diagnostics.TwoFactorAuditTests.BrokenStore>();
        services.AddNavixyTwoFactor().UseInMemoryStores();
        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IChallengeStore>(), Is.InstanceOf<InMemoryChallengeStore>());
    }
}
