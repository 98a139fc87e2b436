using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.AspNetCore;
using Navixy.TwoFactor.AspNetCore.Auditing;
using Navixy.TwoFactor.AspNetCore.Mapping;
using Navixy.TwoFactor.AspNetCore.SecondStep;
using Navixy.TwoFactor.AspNetCore.StepUp;
using Navixy.TwoFactor.Policy;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the HTTP surface on the library's builder: <c>AddNavixyTwoFactor().AddAspNetCore(...)</c>.</summary>
public static class TwoFactorAspNetCoreBuilderExtensions
{
    /// <summary>
    /// Registers what the Navixy endpoints need: <see cref="TwoFactorHttpOptions"/> (validated at start-up), the in-memory
    /// <see cref="IPendingSecondStepStore"/>, step-ups and <see cref="TwoFactorHttpResults"/>, all with <c>TryAdd</c> so a
    /// host's earlier registrations win and a second call is harmless. The host registers its own
    /// <c>ITwoFactorUserAccounts</c> and <c>ITwoFactorPanelSessions</c>, then maps the endpoints
    /// (<c>MapNavixyUserSecondStep()</c>, <c>MapNavixyPanelMfaSettings()</c>).
    /// </summary>
    /// <param name="builder">The library's builder.</param>
    /// <param name="configure">Sets options, e.g. the route prefix or problem details.</param>
    /// <returns>The same builder.</returns>
    public static TwoFactorBuilder AddAspNetCore(this TwoFactorBuilder builder, Action<TwoFactorHttpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<TwoFactorHttpOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TwoFactorHttpOptions>, TwoFactorHttpOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPendingSecondStepStore, InMemoryPendingSecondStepStore>();
        services.TryAddSingleton<StepUps>();
        services.TryAddSingleton<TwoFactorHttpResults>();

        // The request's admitted caller is the audit trail's actor, in place of the core's "unknown" default; an accessor the
        // host registered itself (any other implementation) is kept.
        services.AddHttpContextAccessor();
        var actors = services.FirstOrDefault(d => d.ServiceType == typeof(ITwoFactorActorAccessor));
        if (actors is null || actors.ImplementationType?.Assembly == typeof(ITwoFactorActorAccessor).Assembly)
        {
            services.Replace(ServiceDescriptor.Singleton<ITwoFactorActorAccessor, HttpContextActorAccessor>());
        }

        return builder;
    }
}
