namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <see cref="TwoFactorServiceCollectionExtensions.AddNavixyTwoFactor"/>; store packages and
/// hosts extend it (for example <c>.UsePostgreSql(...)</c>) to replace the in-memory defaults.
/// </summary>
public sealed class TwoFactorBuilder
{
    internal TwoFactorBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection the engine is registered in.</summary>
    public IServiceCollection Services { get; }
}
