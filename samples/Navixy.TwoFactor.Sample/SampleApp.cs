using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Sample.Credentials;
using Navixy.TwoFactor.Sample.Email;
using Navixy.TwoFactor.Sample.Panel;
using Navixy.TwoFactor.Sample.Seeding;
using Navixy.TwoFactor.Sample.Sessions;
using Navixy.TwoFactor.Sample.Users;
using Navixy.TwoFactor.Sample.Wire;

namespace Navixy.TwoFactor.Sample;

/// <summary>
/// Builds the sample host: Kestrel on loopback, the library registered with <c>AddNavixyTwoFactor()</c>
/// (in-memory stores), the host's own credential and session stores, seeded data, and the two APIs.
/// </summary>
internal static class SampleApp
{
    /// <summary>Where the sample listens unless <c>--urls</c> or <c>ASPNETCORE_URLS</c> says otherwise: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Builds and seeds the app; the caller starts it.</summary>
    /// <param name="args">Command-line arguments (any ASP.NET Core configuration, e.g. <c>--urls</c>, <c>--Sample:Credentials:MaxFailedLogins=3</c>).</param>
    /// <param name="configureServices">
    /// Registrations made before the sample's own; since the sample and the library register with <c>TryAdd</c>,
    /// these win (tests use it for a fake clock or another <see cref="ISecondStep"/>).
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
            kestrel.Limits.MaxRequestBodySize = WireRequest.MaxBodyBytes;
        });

        configureServices?.Invoke(builder.Services);
        builder.Services.AddNavixyTwoFactor();
        AddSampleServices(builder);

        var app = builder.Build();
        await Seeder.SeedAsync(app.Services, SeedData.Dealers, cancellationToken);

        // Anything unexpected (a store failure included) is answered as Navixy's error 1, never with details,
        // and never with a session.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context => WireResults.Error(ErrorCode.DatabaseError, "Database error.").ExecuteAsync(context),
        });

        app.MapPanelApi();
        app.MapUserApi();
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

        // Sessions: one store per API, so neither API accepts the other's hash.
        services.TryAddSingleton<SessionStore<PanelSession>>();
        services.TryAddSingleton<SessionStore<UserSession>>();
        services.TryAddSingleton<UserSessions>();

        // Panel API.
        services.TryAddSingleton<PanelLogins>();
        services.TryAddSingleton<PanelGate>();

        // User API. Phase 1 has no second step: required users are refused (SecondStepNotAvailable).
        services.TryAddSingleton<UserDirectory>();
        services.TryAddSingleton<ISecondStep, SecondStepNotAvailable>();
        services.TryAddSingleton<UserSignIn>();

        // The stand-in for email.
        services.TryAddSingleton<DevelopmentOutbox>();
    }
}
