using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.EnrollmentPeriods;
using Navixy.TwoFactor.Stores.InMemory;
using Navixy.TwoFactor.Totp;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers authenticator apps and recovery codes: options, stores, the secret protector, the enrolment service and enrolment periods.</summary>
internal static class TwoFactorTotpRegistration
{
    /// <summary>The HKDF purpose of the default protector's AES-256-GCM key.</summary>
    public const string SecretProtectionPurpose = "totp-secret-protection/v1";

    public static void AddTotp(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TwoFactorOptions>, TotpOptionsValidator>());

        services.TryAddSingleton<ISecretProtector>(static sp =>
            new AesGcmSecretProtector(sp.GetRequiredService<TwoFactorKeyRing>(), SecretProtectionPurpose));

        services.TryAddSingleton<TotpFactor>();
        services.TryAddSingleton<InMemoryEnrollmentPeriodStore>();
        services.TryAddSingleton<IEnrollmentPeriodStore>(static sp => sp.GetRequiredService<InMemoryEnrollmentPeriodStore>());
        services.TryAddSingleton<ITwoFactorEnrollmentPeriods, TwoFactorEnrollmentPeriodService>();
        services.TryAddSingleton(static sp =>
        {
            var stores = TracedStores.Of(sp);
            return TracedStores.Create<TotpEnrollmentService>(sp, stores.Challenges, stores.Enrollments, stores.RecoveryCodes);
        });
        services.TryAddSingleton<ITotpEnrollment>(static sp => sp.GetRequiredService<TotpEnrollmentService>());
        // Over the registered store itself: the re-wrap capability is the store's, not the traced decorator's.
        services.TryAddSingleton<ITwoFactorKeyRotation, KeyRotationService>();
        services.TryAddSingleton<ITwoFactorAdministration>(static sp =>
        {
            var stores = TracedStores.Of(sp);
            return TracedStores.Create<TwoFactorAdministrationService>(sp, stores.Challenges, stores.Enrollments, stores.RecoveryCodes);
        });
    }
}
