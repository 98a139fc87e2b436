using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.Tracing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The registered stores, each behind a decorator that gives every call a span (<c>navixy.twofactor.store …</c>). The
/// services are built over these; the store registrations themselves stay the stores, so a host resolving
/// <see cref="IChallengeStore"/> gets its own instance.
/// </summary>
internal sealed class TracedStores(
    IPrincipalPolicyStore policies,
    ISettingsStore settings,
    IPrincipalDirectoryStore directory,
    IChallengeStore challenges,
    ITotpEnrollmentStore enrollments,
    IRecoveryCodeStore recoveryCodes)
{
    public IPrincipalPolicyStore Policies { get; } = TracedPolicyStore.Wrap(policies);

    public ISettingsStore Settings { get; } = new TracedSettingsStore(settings);

    public IPrincipalDirectoryStore Directory { get; } = new TracedDirectoryStore(directory);

    public IChallengeStore Challenges { get; } = TracedChallengeStore.Wrap(challenges);

    public ITotpEnrollmentStore Enrollments { get; } = new TracedTotpEnrollmentStore(enrollments);

    public IRecoveryCodeStore RecoveryCodes { get; } = new TracedRecoveryCodeStore(recoveryCodes);

    /// <summary>Builds a service over the traced stores: <paramref name="stores"/> are the ones its constructor takes.</summary>
    public static T Create<T>(IServiceProvider provider, params object[] stores) =>
        ActivatorUtilities.CreateInstance<T>(provider, stores);

    public static TracedStores Of(IServiceProvider provider) => provider.GetRequiredService<TracedStores>();
}
