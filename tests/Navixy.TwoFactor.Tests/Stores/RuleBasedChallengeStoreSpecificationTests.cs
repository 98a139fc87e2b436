using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Specification;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.InMemory;

namespace Navixy.TwoFactor.Tests.Stores;

/// <summary>
/// Runs the whole challenge store specification against <see cref="RuleBasedChallengeStore"/> over a dictionary-backed
/// compare-and-swap record store: the thin path must give the same answers as the in-memory and PostgreSQL stores. Every
/// provider of the fixture shares one instance of each store, as two nodes would share one database.
/// </summary>
public sealed class RuleBasedChallengeStoreSpecificationTests : ChallengeStoreSpecification
{
    private readonly DictionaryChallengeRecordStore _records = new();
    private readonly InMemoryTotpStore _totp = new();
    private readonly InMemoryPolicyStore _policies = new(TimeProvider.System);
    private readonly RuleBasedChallengeStore _challenges;

    public RuleBasedChallengeStoreSpecificationTests() => _challenges = new RuleBasedChallengeStore(_records, _totp, _totp);

    protected override void ConfigureStores(TwoFactorBuilder builder)
    {
        builder.UseInMemoryStores();
        builder.Services.Replace(ServiceDescriptor.Singleton<IChallengeStore>(_challenges));
        builder.Services.Replace(ServiceDescriptor.Singleton<ITotpEnrollmentStore>(_totp));
        builder.Services.Replace(ServiceDescriptor.Singleton<IRecoveryCodeStore>(_totp));
        builder.Services.Replace(ServiceDescriptor.Singleton<IPrincipalPolicyStore>(_policies));
        builder.Services.Replace(ServiceDescriptor.Singleton<IPrincipalDirectoryStore>(_policies));
        builder.Services.Replace(ServiceDescriptor.Singleton<ISettingsStore>(_policies));
    }
}
