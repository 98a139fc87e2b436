using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Specification;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.InMemory;

namespace Navixy.TwoFactor.Tests.Stores;

/// <summary>
/// Runs the challenge store specification against the in-memory stores. Every provider of the fixture shares one
/// instance of each store, as two nodes would share one database.
/// </summary>
public sealed class InMemoryChallengeStoreSpecificationTests : ChallengeStoreSpecification
{
    private readonly InMemoryTotpStore _authenticators = new();
    private readonly InMemoryPolicyStore _policies = new(TimeProvider.System);
    private readonly InMemoryChallengeStore _challenges;

    public InMemoryChallengeStoreSpecificationTests() => _challenges = new InMemoryChallengeStore(_authenticators, _authenticators);

    protected override void ConfigureStores(TwoFactorBuilder builder)
    {
        builder.UseInMemoryStores();
        builder.Services.Replace(ServiceDescriptor.Singleton<IChallengeStore>(_challenges));
        builder.Services.Replace(ServiceDescriptor.Singleton<ITotpEnrollmentStore>(_authenticators));
        builder.Services.Replace(ServiceDescriptor.Singleton<IRecoveryCodeStore>(_authenticators));
        builder.Services.Replace(ServiceDescriptor.Singleton<IPrincipalPolicyStore>(_policies));
        builder.Services.Replace(ServiceDescriptor.Singleton<IPrincipalDirectoryStore>(_policies));
        builder.Services.Replace(ServiceDescriptor.Singleton<ISettingsStore>(_policies));
    }
}
