using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Stores;

namespace Navixy.TwoFactor.Tests.DependencyInjection;

public class TwoFactorServiceCollectionExtensionsTests
{
    private static readonly TenantId Tenant = new(5);

    [Test]
    public void AddNavixyTwoFactor_CalledTwice_RegistersEachServiceOnceAndSharesOneStore()
    {
        var services = new ServiceCollection();
        var first = services.AddNavixyTwoFactor();
        var once = services.ToList();
        var second = services.AddNavixyTwoFactor();
        var added = services.Except(once).Select(d => d.ServiceType).ToList();

        // Only ValidateOnStart's own plumbing (start-up validator, keyed by options type) is registered again.
        Assert.That(added.Select(t => t.Namespace), Is.All.EqualTo("Microsoft.Extensions.Options"), string.Join(", ", added));
        Assert.That(second.Services, Is.SameAs(first.Services));
        Assert.That(services.Count(d => d.ServiceType == typeof(ITwoFactorResolver)), Is.EqualTo(1));
        var validators = services.Where(d => d.ServiceType == typeof(IValidateOptions<TwoFactorOptions>)).Select(d => d.ImplementationType).ToList();
        Assert.That(validators, Is.Not.Empty.And.Unique, "each options validator is registered once");

        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var directory = provider.GetRequiredService<ITwoFactorDirectory>();
        Assert.That(directory.RegisterAccountAsync(Tenant, 1).AsTask().Result.Succeeded, Is.True);
        Assert.That(provider.GetRequiredService<ITwoFactorResolver>().ResolveAsync(Tenant, 1).AsTask().Result.Outcome, Is.EqualTo(RequirementOutcome.NotRequired), "resolver and directory share one store");
        Assert.That(provider.GetRequiredService<IPrincipalPolicyStore>(), Is.SameAs(provider.GetRequiredService<ISettingsStore>()));
        Assert.That(provider.GetRequiredService<IPrincipalDirectoryStore>(), Is.SameAs(provider.GetRequiredService<ISettingsStore>()));
        Assert.DoesNotThrow(() => provider.GetRequiredService<IStartupValidator>().Validate());
    }

    [Test]
    public void AddNavixyTwoFactor_ConfigureInBothCalls_AppliesBoth()
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor(o => o.MaxIdsPerUpdate = 3);
        services.AddNavixyTwoFactor(o => o.MaxIdsPerUpdate += 1);
        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IOptions<TwoFactorOptions>>().Value.MaxIdsPerUpdate, Is.EqualTo(4));
    }

    [Test]
    public void AddNavixyTwoFactor_HostRegistrationMadeBefore_Wins()
    {
        var hostStore = new RecordingPolicyStore();
        var services = new ServiceCollection();
        services.AddSingleton<IPrincipalPolicyStore>(hostStore);
        services.AddNavixyTwoFactor();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var answer = provider.GetRequiredService<ITwoFactorResolver>().ResolveAsync(Tenant, 42).AsTask().Result;

        Assert.That(provider.GetRequiredService<IPrincipalPolicyStore>(), Is.SameAs(hostStore));
        Assert.That(hostStore.Reads, Is.EqualTo(1), "the resolver read through the host's store");
        Assert.That(answer.Outcome, Is.EqualTo(RequirementOutcome.Required));
    }

    [Test]
    public void AddNavixyTwoFactor_HostTimeProvider_IsTheOneResolved()
    {
        var time = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddNavixyTwoFactor();
        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<TimeProvider>(), Is.SameAs(time));
    }

    [Test]
    public void AddNavixyTwoFactor_NoHostTimeProvider_UsesTheSystemClock()
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor();
        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<TimeProvider>(), Is.SameAs(TimeProvider.System));
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(2_000_000)]
    [TestCase(int.MaxValue)]
    public void AddNavixyTwoFactor_MaxIdsPerUpdateOutOfRange_FailsStartupValidationNamingTheOption(int value)
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor(o => o.MaxIdsPerUpdate = value);
        using var provider = services.BuildServiceProvider();

        var atStart = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        var atUse = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<TwoFactorOptions>>().Value);

        Assert.That(atStart!.Message, Does.Contain(nameof(TwoFactorOptions.MaxIdsPerUpdate)));
        Assert.That(atUse!.Message, Does.Contain(nameof(TwoFactorOptions.MaxIdsPerUpdate)).And.Contain("1000000"));
    }

    [TestCase(TwoFactorOptions.MinIdsPerUpdate)]
    [TestCase(TwoFactorOptions.MaxIdsPerUpdateLimit)]
    public void AddNavixyTwoFactor_MaxIdsPerUpdateAtTheEdgesOfItsRange_IsValid(int value)
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor(o => o.MaxIdsPerUpdate = value);
        using var provider = services.BuildServiceProvider();

        Assert.DoesNotThrow(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(provider.GetRequiredService<IOptions<TwoFactorOptions>>().Value.MaxIdsPerUpdate, Is.EqualTo(value));
    }

    [Test]
    public void TwoFactorOptions_Default_IsTenThousandIdsPerUpdate() =>
        Assert.That(new TwoFactorOptions().MaxIdsPerUpdate, Is.EqualTo(10_000));

    [Test]
    public void AddNavixyTwoFactor_NullServices_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => TwoFactorServiceCollectionExtensions.AddNavixyTwoFactor(null!));

    /// <summary>A host's store: every principal is an account that requires email.</summary>
    private sealed class RecordingPolicyStore : IPrincipalPolicyStore
    {
        public int Reads { get; private set; }

        public ValueTask<PrincipalPolicy> FindPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
        {
            Reads++;
            var account = new AccountRecord(principalId, AccountOrigin.Created, false, TwoFactorSetting.Allowed(FactorTypes.Email), SettingSource.SelectedUpdate, 1);
            return new(new PrincipalPolicy(principalId, PrincipalKind.Account, account, TenantPolicy.Initial));
        }

        public ValueTask<TenantPolicy> GetTenantAsync(TenantId tenant, CancellationToken cancellationToken) => new(TenantPolicy.Initial);
    }
}
