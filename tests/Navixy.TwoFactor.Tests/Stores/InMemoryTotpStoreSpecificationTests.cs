using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Specification;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.Devices;
using Navixy.TwoFactor.Stores.InMemory;

namespace Navixy.TwoFactor.Tests.Stores;

/// <summary>
/// Runs the authenticator store specification against the in-memory stores. Every provider of the fixture shares one
/// instance of each store (remembered devices too), as two nodes would share one database.
/// </summary>
public sealed class InMemoryTotpStoreSpecificationTests : TotpStoreSpecification
{
    private readonly InMemoryPolicyStore _policies = new(TimeProvider.System);
    private readonly InMemoryTotpStore _totp = new();
    private readonly InMemoryChallengeStore _challenges;
    private readonly InMemoryRememberedDeviceStore _devices = new(new InMemoryAuditTrail());

    /// <summary>The challenge store spends time steps and recovery codes in the shared authenticator store.</summary>
    public InMemoryTotpStoreSpecificationTests() => _challenges = new InMemoryChallengeStore(_totp, _totp);

    protected override void ConfigureStores(TwoFactorBuilder builder)
    {
        builder.UseInMemoryStores();
        builder.Services.Replace(ServiceDescriptor.Singleton<IChallengeStore>(_challenges));
        builder.Services.Replace(ServiceDescriptor.Singleton<IPrincipalPolicyStore>(_policies));
        builder.Services.Replace(ServiceDescriptor.Singleton<IPrincipalDirectoryStore>(_policies));
        builder.Services.Replace(ServiceDescriptor.Singleton<ISettingsStore>(_policies));
        builder.Services.Replace(ServiceDescriptor.Singleton<ITotpEnrollmentStore>(_totp));
        builder.Services.Replace(ServiceDescriptor.Singleton<IRecoveryCodeStore>(_totp));
        builder.Services.Replace(ServiceDescriptor.Singleton<IRememberedDeviceStore>(_devices));
    }
}
