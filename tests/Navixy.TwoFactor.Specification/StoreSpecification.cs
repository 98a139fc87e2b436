using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Specification;

/// <summary>
/// Base of every store specification fixture. A store implementation's test project derives a concrete
/// fixture from each abstract specification and says, in <see cref="ConfigureStores"/>, how to register
/// its stores. The suite talks to the stores only through the library's public services and store
/// interfaces, so the same tests hold every implementation to the same answers.
/// </summary>
public abstract class StoreSpecification
{
    /// <summary>Registers the stores under test (nothing for the in-memory defaults).</summary>
    protected abstract void ConfigureStores(TwoFactorBuilder builder);

    /// <summary>
    /// Builds a service provider with the engine, the stores under test and a fake clock. Each call is a
    /// separate "engine instance": for a database store, two providers are two nodes over one database.
    /// </summary>
    protected ServiceProvider CreateProvider(FakeTimeProvider? time = null, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time ?? new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        configure?.Invoke(services);
        var builder = services.AddNavixyTwoFactor();
        ConfigureStores(builder);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>A tenant id no other test uses, so suites can share one database.</summary>
    protected static TenantId NewTenant() => new(Random.Shared.NextInt64(1, long.MaxValue));
}
