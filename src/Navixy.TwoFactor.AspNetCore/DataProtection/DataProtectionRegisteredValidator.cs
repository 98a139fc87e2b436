using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Navixy.TwoFactor.AspNetCore.DataProtection;

/// <summary>
/// Refuses to start when <c>UseDataProtection()</c> was chosen but the host registered no Data Protection: otherwise the
/// first enrolment would fail, and a key ring the nodes do not share would make secrets unreadable on the other nodes.
/// </summary>
internal sealed class DataProtectionRegisteredValidator(IServiceProviderIsService services) : IValidateOptions<TwoFactorOptions>
{
    public ValidateOptionsResult Validate(string? name, TwoFactorOptions options) =>
        services.IsService(typeof(IDataProtectionProvider))
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                "UseDataProtection() protects authenticator secrets with ASP.NET Core Data Protection, but no IDataProtectionProvider is registered: "
                + "call services.AddDataProtection() and give it a key ring every node shares (PersistKeysTo..., SetApplicationName), or remove UseDataProtection().");
}
