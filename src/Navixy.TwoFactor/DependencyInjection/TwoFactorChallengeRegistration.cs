using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Devices;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.Devices;
using Navixy.TwoFactor.Stores.InMemory;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the login second step: key material, audit, the challenge store and service.</summary>
internal static class TwoFactorChallengeRegistration
{
    public static void AddChallenges(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TwoFactorOptions>, ChallengeOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TwoFactorOptions>, KeyMaterialValidator>());

        services.TryAddSingleton<TwoFactorKeyRing>();
        services.TryAddSingleton<ChallengeHasher>();
        services.TryAddSingleton<TwoFactorMetrics>();
        services.TryAddSingleton<TwoFactorAudit>();


        services.TryAddSingleton<DeviceTokenHasher>();
        services.TryAddSingleton<InMemoryRememberedDeviceStore>();
        services.TryAddSingleton<IRememberedDeviceStore>(static sp => sp.GetRequiredService<InMemoryRememberedDeviceStore>());
        services.TryAddSingleton<RememberedDeviceCheck>();
        services.TryAddSingleton<ITwoFactorRememberedDevices, TwoFactorRememberedDeviceService>();
        services.TryAddSingleton(static sp =>
        {
            var stores = TracedStores.Of(sp);
            return TracedStores.Create<AuthenticatorCodeCheck>(sp, stores.Enrollments, stores.RecoveryCodes);
        });
        services.TryAddSingleton<ITwoFactorChallenges>(static sp =>
        {
            var stores = TracedStores.Of(sp);
            return new TracedChallenges(
                TracedStores.Create<TwoFactorChallengeService>(sp, stores.Challenges, stores.Enrollments),
                sp.GetRequiredService<TwoFactorMetrics>(),
                sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton(static sp => TracedStores.Create<StepUpService>(sp, TracedStores.Of(sp).Challenges));
        services.TryAddSingleton<ITwoFactorStepUp>(static sp => sp.GetRequiredService<StepUpService>());
    }
}
