using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.AuditTrail;
using Navixy.TwoFactor.Stores.InMemory;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Navixy.TwoFactor in a service collection.</summary>
public static class TwoFactorServiceCollectionExtensions
{
    /// <summary>
    /// Registers the policy engine with thread-safe in-memory stores as defaults (name them with
    /// <see cref="TwoFactorBuilderExtensions.UseInMemoryStores"/>). Every default is added with <c>TryAdd*</c>, so
    /// registrations made before this call win and calling it twice is harmless. Stores must be singletons: a store
    /// registered otherwise fails options validation at start, and so does configured
    /// <see cref="TwoFactorOptions.KeyMaterial"/> over in-memory stores the host did not choose with <c>UseInMemoryStores()</c>. A
    /// <see cref="TimeProvider"/> registered by the host is used; otherwise <see cref="TimeProvider.System"/>.
    /// Options are validated at start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures <see cref="TwoFactorOptions"/>; optional.</param>
    /// <returns>A builder for further configuration.</returns>
    public static TwoFactorBuilder AddNavixyTwoFactor(this IServiceCollection services, Action<TwoFactorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<TwoFactorOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TwoFactorOptions>, TwoFactorOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton<ITwoFactorActorAccessor, UnknownActorAccessor>();
        services.TryAddSingleton<InMemoryAuditTrail>();
        services.TryAddSingleton<IAuditTrailStore>(static sp => sp.GetRequiredService<InMemoryAuditTrail>());
        services.TryAddSingleton<AuditTrailWriter>();
        services.TryAddSingleton<ITwoFactorAuditTrail, TwoFactorAuditTrailService>();

        // The in-memory stores where the host registered none; the choice is checked at start (StoreChoiceValidator).
        TwoFactorStoreChoice.Of(services).AddDefaults();

        // The services use the stores through span-giving decorators (TracedStores); the registrations stay the stores.
        services.TryAddSingleton<TracedStores>();
        // The in-memory store answers resolves in place (no store span: nothing leaves the process); any other store goes
        // through the store-agnostic services over the traced stores.
        services.TryAddSingleton<ITwoFactorResolver>(static sp => sp.GetRequiredService<IPrincipalPolicyStore>() is InMemoryPolicyStore memory
            ? new InMemoryResolver(memory, sp.GetRequiredService<TimeProvider>())
            : TracedStores.Create<TwoFactorResolutionService>(sp, TracedStores.Of(sp).Policies));
        // Answers at once only through the registered resolver (a host's own one that cannot is never bypassed).
        services.TryAddSingleton<ITwoFactorImmediateResolver>(static sp =>
            sp.GetRequiredService<ITwoFactorResolver>() as ITwoFactorImmediateResolver ?? NoImmediateResolver.Instance);
        services.TryAddSingleton<ITwoFactorBulkResolver>(static sp => sp.GetRequiredService<IPrincipalPolicyStore>() is InMemoryPolicyStore memory
            ? new InMemoryResolver(memory, sp.GetRequiredService<TimeProvider>())
            : new TwoFactorBulkResolver(TracedStores.Of(sp).Policies, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ITwoFactorSettings>(static sp =>
        {
            var stores = TracedStores.Of(sp);
            return new TracedSettings(
                TracedStores.Create<TwoFactorSettingsService>(sp, stores.Policies, stores.Settings),
                sp.GetRequiredService<Navixy.TwoFactor.Diagnostics.TwoFactorMetrics>(),
                sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton<ITwoFactorDirectory>(static sp =>
        {
            var stores = TracedStores.Of(sp);
            return TracedStores.Create<TwoFactorDirectoryService>(sp, stores.Directory, stores.Challenges, stores.Enrollments, stores.RecoveryCodes);
        });

        TwoFactorChallengeRegistration.AddChallenges(services);
        TwoFactorTotpRegistration.AddTotp(services);

        return new TwoFactorBuilder(services);
    }
}
