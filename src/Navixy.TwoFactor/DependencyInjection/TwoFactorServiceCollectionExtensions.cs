using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor;
using Navixy.TwoFactor.Administration;
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
    /// Registers the policy engine with thread-safe in-memory stores as defaults. Every default is added with
    /// <c>TryAdd*</c>, so registrations made before this call win and calling it twice is harmless. A
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
        services.TryAddSingleton<InMemoryPolicyStore>(static sp => new InMemoryPolicyStore(sp.GetRequiredService<InMemoryAuditTrail>()));
        services.TryAddSingleton<IPrincipalPolicyStore>(static sp => sp.GetRequiredService<InMemoryPolicyStore>());
        services.TryAddSingleton<IPrincipalDirectoryStore>(static sp => sp.GetRequiredService<InMemoryPolicyStore>());
        services.TryAddSingleton<ISettingsStore>(static sp => sp.GetRequiredService<InMemoryPolicyStore>());

        // The in-memory store answers resolves in place; any other store goes through the store-agnostic services.
        services.TryAddSingleton<ITwoFactorResolver>(static sp => ResolverFor(sp));
        services.TryAddSingleton<ITwoFactorBulkResolver>(static sp => sp.GetRequiredService<IPrincipalPolicyStore>() is InMemoryPolicyStore memory
            ? new InMemoryResolver(memory)
            : new TwoFactorBulkResolver(sp.GetRequiredService<IPrincipalPolicyStore>()));
        services.TryAddSingleton<ITwoFactorSettings, TwoFactorSettingsService>();
        services.TryAddSingleton<ITwoFactorDirectory, TwoFactorDirectoryService>();

        TwoFactorChallengeRegistration.AddChallenges(services);
        TwoFactorTotpRegistration.AddTotp(services);

        return new TwoFactorBuilder(services);
    }

    private static ITwoFactorResolver ResolverFor(IServiceProvider services)
    {
        var policies = services.GetRequiredService<IPrincipalPolicyStore>();
        return policies is InMemoryPolicyStore memory ? new InMemoryResolver(memory) : new TwoFactorResolutionService(policies);
    }
}
