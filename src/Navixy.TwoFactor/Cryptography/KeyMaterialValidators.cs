using Microsoft.Extensions.Options;

namespace Navixy.TwoFactor.Cryptography;

/// <summary>Refuses a key ring that is set but malformed: a bad key, a key id out of range, a primary that is not there.</summary>
internal sealed class KeyMaterialValidator : IValidateOptions<TwoFactorOptions>
{
    public ValidateOptionsResult Validate(string? name, TwoFactorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return KeyRingConfiguration.Validate(options) is { } error
            ? ValidateOptionsResult.Fail(error)
            : ValidateOptionsResult.Success;
    }
}

/// <summary>
/// Registered by a store that outlives the process (<c>TwoFactorBuilder.RequireKeyMaterial()</c>): an ephemeral key
/// would make every stored challenge unusable after a restart and differ between nodes, so the host refuses to start.
/// </summary>
internal sealed class RequiredKeyMaterialValidator : IValidateOptions<TwoFactorOptions>
{
    public ValidateOptionsResult Validate(string? name, TwoFactorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return !KeyRingConfiguration.IsConfigured(options)
            ? ValidateOptionsResult.Fail(
                "TwoFactorOptions.KeyMaterial is required: a registered store outlives the process, so an ephemeral key " +
                "cannot be used. Configure base64 of at least 32 random bytes from a secret store, the same on every node " +
                "(or a key ring: TwoFactorOptions.Keys with TwoFactorOptions.PrimaryKeyId).")
            : ValidateOptionsResult.Success;
    }
}
