using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.InMemory;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Which stores the host chose: the in-memory defaults <see cref="TwoFactorServiceCollectionExtensions.AddNavixyTwoFactor"/>
/// registered (by descriptor, so a later replacement is seen), and whether the host named them with
/// <c>UseInMemoryStores()</c>. Read at start by <see cref="StoreChoiceValidator"/> over the final registrations.
/// </summary>
internal sealed class TwoFactorStoreChoice
{
    /// <summary>The store services the engine resolves; each must be a singleton.</summary>
    public static readonly Type[] StoreTypes =
    [
        typeof(IPrincipalPolicyStore), typeof(IPrincipalDirectoryStore), typeof(ISettingsStore),
        typeof(IChallengeStore), typeof(ITotpEnrollmentStore), typeof(IRecoveryCodeStore), typeof(ISecretProtector),
    ];

    private readonly HashSet<ServiceDescriptor> _inMemoryDefaults = new(ReferenceEqualityComparer.Instance);

    private TwoFactorStoreChoice(IServiceCollection services) => Services = services;

    /// <summary>The host's registrations (read-only once the provider is built).</summary>
    public IServiceCollection Services { get; }

    /// <summary>Whether the host named the in-memory stores as its choice.</summary>
    public bool InMemoryChosen { get; set; }

    public static TwoFactorStoreChoice Of(IServiceCollection services)
    {
        if (services.FirstOrDefault(static d => d.ServiceType == typeof(TwoFactorStoreChoice))?.ImplementationInstance is TwoFactorStoreChoice existing)
        {
            return existing;
        }

        var choice = new TwoFactorStoreChoice(services);
        services.AddSingleton(choice);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TwoFactorOptions>, StoreChoiceValidator>());
        return choice;
    }

    /// <summary>The in-memory store registrations: one instance of each store behind all of its interfaces.</summary>
    public static IEnumerable<ServiceDescriptor> InMemoryDescriptors() =>
    [
        ServiceDescriptor.Singleton<IPrincipalPolicyStore>(static sp => sp.GetRequiredService<InMemoryPolicyStore>()),
        ServiceDescriptor.Singleton<IPrincipalDirectoryStore>(static sp => sp.GetRequiredService<InMemoryPolicyStore>()),
        ServiceDescriptor.Singleton<ISettingsStore>(static sp => sp.GetRequiredService<InMemoryPolicyStore>()),
        ServiceDescriptor.Singleton<IChallengeStore>(static sp => sp.GetRequiredService<InMemoryChallengeStore>()),
        ServiceDescriptor.Singleton<ITotpEnrollmentStore>(static sp => sp.GetRequiredService<InMemoryTotpStore>()),
        ServiceDescriptor.Singleton<IRecoveryCodeStore>(static sp => sp.GetRequiredService<InMemoryTotpStore>()),
    ];

    /// <summary>Adds the in-memory stores where the host registered none (<c>TryAdd</c>), remembering which it added.</summary>
    public void AddDefaults()
    {
        AddImplementations(Services);
        foreach (var descriptor in InMemoryDescriptors())
        {
            if (!Services.Any(d => d.ServiceType == descriptor.ServiceType))
            {
                Services.Add(descriptor);
                _inMemoryDefaults.Add(descriptor);
            }
        }
    }

    /// <summary>Replaces every store registration with the in-memory stores.</summary>
    public void UseInMemory()
    {
        AddImplementations(Services);
        foreach (var descriptor in InMemoryDescriptors())
        {
            Services.RemoveAll(descriptor.ServiceType);
            Services.Add(descriptor);
            _inMemoryDefaults.Add(descriptor);
        }

        InMemoryChosen = true;
    }

    /// <summary>The in-memory store types still registered as the store of a service, by service name.</summary>
    public IReadOnlyList<string> InMemoryStoresInUse() =>
        [.. StoreTypes.Where(t => Last(t) is { } d && _inMemoryDefaults.Contains(d)).Select(static t => t.Name)];

    /// <summary>The registration that wins for a service type (the last one).</summary>
    public ServiceDescriptor? Last(Type serviceType) => Services.LastOrDefault(d => d.ServiceType == serviceType && !d.IsKeyedService);

    private static void AddImplementations(IServiceCollection services)
    {
        services.TryAddSingleton<InMemoryAuditTrail>();
        services.TryAddSingleton<InMemoryPolicyStore>(static sp => new InMemoryPolicyStore(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<InMemoryAuditTrail>()));
        services.TryAddSingleton<InMemoryChallengeStore>();
        services.TryAddSingleton<InMemoryTotpStore>();
    }
}

/// <summary>
/// Refuses at start (options validation) a store registered other than as a singleton, and configured key material over
/// the in-memory defaults the host did not choose by name (a multi-node host that forgot <c>UsePostgreSql</c>).
/// </summary>
internal sealed class StoreChoiceValidator(TwoFactorStoreChoice choice) : IValidateOptions<TwoFactorOptions>
{
    public ValidateOptionsResult Validate(string? name, TwoFactorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var type in TwoFactorStoreChoice.StoreTypes)
        {
            if (choice.Last(type) is { Lifetime: not ServiceLifetime.Singleton } descriptor)
            {
                failures.Add(
                    $"{type.Name} is registered as {descriptor.Lifetime}; register it as a singleton. The engine's services are singletons " +
                    "that keep their stores for the life of the process, and a store is the state every request shares (lockouts, " +
                    "once-only codes), so a per-scope or per-use instance would be captured once or split that state.");
            }
        }

        if (KeyRingConfiguration.IsConfigured(options) && !choice.InMemoryChosen && choice.InMemoryStoresInUse() is { Count: > 0 } inMemory)
        {
            failures.Add(
                $"TwoFactorOptions key material is configured, which is for stores shared by several nodes, but the in-memory stores " +
                $"are registered ({string.Join(", ", inMemory)}): each node would keep its own lockouts, attempt counts and enrolments. " +
                "Register shared stores (for example .UsePostgreSql(...)), or call .UseInMemoryStores() to run on one node by choice.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
