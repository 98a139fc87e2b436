using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Microsoft.Extensions.Hosting;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Stores.Purge;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the login second step on a <see cref="TwoFactorBuilder"/>.</summary>
public static class TwoFactorBuilderExtensions
{
    /// <summary>
    /// Registers the host's email code sender as a singleton, replacing any sender registered before. Without a
    /// sender, start answers <see cref="ChallengeStartOutcome.FactorUnavailable"/> for principals that need email codes.
    /// </summary>
    /// <typeparam name="TSender">The sender type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static TwoFactorBuilder AddEmailCodeSender<TSender>(this TwoFactorBuilder builder)
        where TSender : class, IEmailCodeSender
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IEmailCodeSender, TSender>());
        return builder;
    }

    /// <summary>Adds an audit sink (a singleton); any number may be added, each type once.</summary>
    /// <typeparam name="TSink">The sink type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static TwoFactorBuilder AddAuditSink<TSink>(this TwoFactorBuilder builder)
        where TSink : class, ITwoFactorAuditSink
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ITwoFactorAuditSink, TSink>());
        return builder;
    }

    /// <summary>
    /// Chooses the thread-safe in-memory stores by name: they replace any store registered before, and configured
    /// <see cref="TwoFactorOptions.KeyMaterial"/> is then accepted over them. The in-memory stores are the default even
    /// without this call, but without it configured key material fails options validation at start, because key
    /// material is for stores shared by several nodes and in-memory stores are per process: a multi-node host that
    /// forgot <c>UsePostgreSql</c> would keep lockouts, attempt counts and enrolments per node. Suits one node, tests and
    /// development; everything is lost on restart.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static TwoFactorBuilder UseInMemoryStores(this TwoFactorBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        TwoFactorStoreChoice.Of(builder.Services).UseInMemory();
        return builder;
    }

    /// <summary>
    /// Runs the background purge (a hosted service; opt-in): every <see cref="TwoFactorPurgeOptions.Interval"/> it deletes
    /// ended challenges (spent step-up proofs among them), remembered devices expired by their tenant's remember period and
    /// audit-trail entries past the retention, each in bounded batches (<see cref="TwoFactorPurgeOptions.BatchSize"/>, at
    /// most <see cref="TwoFactorPurgeOptions.MaxBatchesPerRun"/> per kind and run). Options are validated at start. Calling
    /// it twice registers one service.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures <see cref="TwoFactorPurgeOptions"/>; optional.</param>
    /// <returns>The builder.</returns>
    public static TwoFactorBuilder AddBackgroundPurge(this TwoFactorBuilder builder, Action<TwoFactorPurgeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<TwoFactorPurgeOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TwoFactorPurgeOptions>, TwoFactorPurgeOptionsValidator>());
        builder.Services.TryAddSingleton(static sp => TracedStores.Create<TwoFactorPurgeService>(sp, TracedStores.Of(sp).Challenges));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, TwoFactorPurgeService>(static sp => sp.GetRequiredService<TwoFactorPurgeService>()));
        return builder;
    }

    /// <summary>
    /// Makes <see cref="TwoFactorOptions.KeyMaterial"/> mandatory: options validation (at start-up with
    /// <c>ValidateOnStart</c>, else at the first use) fails without it. A store package whose data outlives the
    /// process (a database) calls this from its registration method: an ephemeral key would make every stored
    /// challenge unusable after a restart and differ between nodes.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static TwoFactorBuilder RequireKeyMaterial(this TwoFactorBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TwoFactorOptions>, RequiredKeyMaterialValidator>());
        return builder;
    }
}
