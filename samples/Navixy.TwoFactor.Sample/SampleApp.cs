using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.AspNetCore;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.Sessions;
using Navixy.TwoFactor.PostgreSql;
using Navixy.TwoFactor.PostgreSql.Schema;
using Navixy.TwoFactor.Sample.Credentials;
using Navixy.TwoFactor.Sample.Email;
using Navixy.TwoFactor.Sample.Panel;
using Navixy.TwoFactor.Sample.Seeding;
using Navixy.TwoFactor.Sample.Sessions;
using Navixy.TwoFactor.Sample.Users;

namespace Navixy.TwoFactor.Sample;

/// <summary>
/// Builds the sample host: Kestrel on loopback, the library registered with <c>AddNavixyTwoFactor()</c>
/// (in-memory stores, or PostgreSQL with <c>--postgres</c>) and an email code sender onto the development outbox, the
/// HTTP surface of Navixy.TwoFactor.AspNetCore, the host's own credential and session stores, seeded data, and the
/// host's own calls (<c>panel/account/auth</c>, <c>panel/user/mfa/reset</c>, <c>user/get_info</c>, <c>user/logout</c>).
/// </summary>
internal static class SampleApp
{
    /// <summary>Where the sample listens unless <c>--urls</c> or <c>ASPNETCORE_URLS</c> says otherwise: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// The configuration section bound to the library's <c>TwoFactorOptions</c>: <c>TwoFactor:KeyMaterial</c>
    /// (environment variable <c>TwoFactor__KeyMaterial</c>), <c>TwoFactor:Challenges:*</c>.
    /// </summary>
    public const string TwoFactorSection = "TwoFactor";

    /// <summary>The PostgreSQL stores' options, under <see cref="TwoFactorSection"/>: <c>TwoFactor:PostgreSql:Schema</c>.</summary>
    public const string PostgreSqlSection = "PostgreSql";

    /// <summary>The option that switches the sample to the PostgreSQL stores: <c>--postgres "&lt;connection string&gt;"</c>.</summary>
    public const string PostgreSqlOption = "postgres";

    /// <summary>The environment variable that does the same as <see cref="PostgreSqlOption"/>.</summary>
    public const string PostgreSqlVariable = "NAVIXY_SAMPLE_PG";

    /// <summary>The Npgsql connection string of <c>--postgres</c> or <c>NAVIXY_SAMPLE_PG</c>; <see langword="null"/>: in-memory stores.</summary>
    /// <param name="configuration">The app's configuration (command line and environment included).</param>
    public static string? PostgreSqlConnectionString(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[PostgreSqlOption];
        if (string.IsNullOrWhiteSpace(value))
        {
            value = configuration[PostgreSqlVariable];
        }

        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>Which stores the library uses, for the banner.</summary>
    /// <param name="services">The app's services.</param>
    public static string DescribeStores(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetService<IPostgreSqlMigrator>() is null
            ? "in-memory stores"
            : $"PostgreSQL policy stores in schema {services.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value.Schema}, challenges and authenticator enrolments in memory";
    }

    /// <summary>Builds and seeds the app; the caller starts it.</summary>
    /// <param name="args">Command-line arguments (any ASP.NET Core configuration, e.g. <c>--urls</c>, <c>--Sample:Credentials:MaxFailedLogins=3</c>).</param>
    /// <param name="configureServices">
    /// Registrations made before the sample's own; since the sample and the library register with <c>TryAdd</c>,
    /// these win (tests use it for a fake clock or another pending-step store). The email code sender is the
    /// exception: <c>AddEmailCodeSender</c> replaces any earlier one.
    /// </param>
    /// <param name="cancellationToken">Cancels seeding.</param>
    public static async Task<WebApplication> CreateAsync(
        string[] args,
        Action<IServiceCollection>? configureServices = null,
        CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Wherever `dotnet run` is started from, configuration comes from the app's own folder.
            ContentRootPath = AppContext.BaseDirectory,
        });

        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = TwoFactorHttpOptions.DefaultMaxBodyBytes;
        });
        builder.Logging.AddConsole(console => console.FormatterName = SampleConsoleFormatter.Name)
            .AddConsoleFormatter<SampleConsoleFormatter, ConsoleFormatterOptions>();

        configureServices?.Invoke(builder.Services);

        // The library: options (key material, challenge limits) from the TwoFactor section, e.g. the environment
        // variable TwoFactor__KeyMaterial; codes go to the development outbox through the sample's sender; the HTTP
        // surface from Navixy.TwoFactor.AspNetCore (restricted sessions last Sample:Sessions:PendingLifetime).
        var twoFactorSection = builder.Configuration.GetSection(TwoFactorSection);
        var twoFactor = builder.Services
            .AddNavixyTwoFactor(options => twoFactorSection.Bind(options))
            .AddEmailCodeSender<OutboxCodeSender>()
            .AddAspNetCore();
        builder.Services.Configure<TwoFactorHttpOptions>(builder.Configuration.GetSection(SessionLifetimeOptions.Section));

        // With a connection string the policy state lives in PostgreSQL, which outlives the process: the library
        // then refuses to start without configured key material.
        var postgres = PostgreSqlConnectionString(builder.Configuration);
        if (postgres is not null)
        {
            var storeSection = twoFactorSection.GetSection(PostgreSqlSection);
            twoFactor.UsePostgreSql(postgres, options => storeSection.Bind(options)).RequireKeyMaterial();
        }
        else
        {
            // One process by choice: the in-memory stores, also when key material is configured.
            twoFactor.UseInMemoryStores();
        }

        AddSampleServices(builder);
        builder.Services.AddOpenApi();

        var app = builder.Build();
        if (postgres is not null)
        {
            // Options first, so missing key material fails before the database is touched; then the schema.
            _ = app.Services.GetRequiredService<IOptions<TwoFactorOptions>>().Value;
            await app.Services.GetRequiredService<IPostgreSqlMigrator>().MigrateAsync(cancellationToken);
        }

        await Seeder.SeedAsync(app.Services, SeedData.Dealers, cancellationToken);

        // Navixy-style answers for unknown actions (404), wrong methods (405) and anything unexpected (error 1).
        app.UseNavixyErrors();
        app.MapNavixyUserSecondStep();
        app.MapNavixyPanelMfaSettings();
        app.MapSamplePanelApi();
        app.MapSampleUserApi();
        app.MapOpenApi();
        return app;
    }

    private static void AddSampleServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<CredentialOptions>().Bind(configuration.GetSection(CredentialOptions.Section)).ValidateOnStart();
        services.AddOptions<SessionLifetimeOptions>().Bind(configuration.GetSection(SessionLifetimeOptions.Section)).ValidateOnStart();
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CredentialOptions>, CredentialOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionLifetimeOptions>, SessionLifetimeOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>());

        // Credentials: the host's own (the library keeps no passwords).
        services.TryAddSingleton<PasswordHasher>();
        services.TryAddSingleton<LoginThrottle>();
        services.TryAddSingleton<PasswordCheck>();

        // Users, panel logins and sessions: one store per API, so neither API accepts the other's hash. SampleAccounts
        // gives the package's endpoints the password check, the full session after a pass, and a panel session's dealer.
        services.TryAddSingleton<UserDirectory>();
        services.TryAddSingleton<PanelLogins>();
        services.TryAddSingleton<SessionHandleStore<TwoFactorUser>>();
        services.TryAddSingleton<SessionHandleStore<PanelSession>>();
        services.TryAddSingleton<SampleAccounts>();
        services.TryAddSingleton<ITwoFactorUserAccounts>(s => s.GetRequiredService<SampleAccounts>());
        services.TryAddSingleton<ITwoFactorPanelSessions>(s => s.GetRequiredService<SampleAccounts>());

        // The stand-in for email.
        services.TryAddSingleton<DevelopmentOutbox>();
    }
}
