using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor;
using Navixy.TwoFactor.AspNetCore.DataProtection;
using Navixy.TwoFactor.Cryptography;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Protects authenticator secrets with ASP.NET Core Data Protection: <c>AddNavixyTwoFactor().UseDataProtection()</c>.</summary>
public static class TwoFactorDataProtectionBuilderExtensions
{
    /// <summary>
    /// Replaces the built-in AES-GCM <see cref="ISecretProtector"/> (keyed by <see cref="TwoFactorOptions.Keys"/>) with one over
    /// the host's ASP.NET Core Data Protection (<see cref="IDataProtectionProvider"/>, purpose
    /// <c>Navixy.TwoFactor.AuthenticatorSecrets.v1</c>, then one sub-purpose per tenant and principal): its key ring, its
    /// rotation and its key storage then govern authenticator secrets, and <c>ITwoFactorKeyRotation.RewrapSecretsAsync</c>
    /// moves secrets to its current default key. The host registers Data Protection itself (<c>AddDataProtection()</c>) with
    /// a key ring every node shares (persisted keys, one application name); without it the host refuses to start.
    /// <see cref="TwoFactorOptions.KeyMaterial"/> and <see cref="TwoFactorOptions.Keys"/> still key challenge tokens, email
    /// code digests and device tokens.
    /// </summary>
    /// <param name="builder">The library's builder.</param>
    /// <param name="readPreviousSecrets">
    /// Also read secrets made by the protector registered before this call (the built-in AES-GCM one, for a deployment
    /// switching to Data Protection); they count as under an old key, so the re-wrap moves them. Default false: such a blob
    /// answers as unreadable.
    /// </param>
    /// <returns>The same builder.</returns>
    public static TwoFactorBuilder UseDataProtection(this TwoFactorBuilder builder, bool readPreviousSecrets = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var previous = readPreviousSecrets ? services.LastOrDefault(d => d.ServiceType == typeof(ISecretProtector) && !d.IsKeyedService) : null;
        services.Replace(ServiceDescriptor.Singleton<ISecretProtector>(sp => new DataProtectionSecretProtector(
            sp.GetRequiredService<IDataProtectionProvider>(),
            previous is null ? null : (ISecretProtector)Create(sp, previous))));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TwoFactorOptions>, DataProtectionRegisteredValidator>());
        return builder;
    }

    private static object Create(IServiceProvider provider, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(provider)
        ?? ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!);
}
