using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;

namespace Navixy.TwoFactor.AspNetCore.Tests;

/// <summary>
/// README's host, built in-process on the test server (or on Kestrel), with its own user table: dealer 1 has account 101
/// (<c>fleet@acme.example</c>) with sub-user 102, and demo account 105; dealer 2 has its own account 101.
/// </summary>
internal sealed class TestApp : IAsyncDisposable
{
    public static readonly TenantId Acme = new(1);
    public static readonly TenantId Beacon = new(2);

    private TestApp(WebApplication app, HttpClient client)
    {
        App = app;
        Client = client;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public MyHost Host => App.Services.GetRequiredService<MyHost>();

    public MyMailer Mailer => (MyMailer)App.Services.GetRequiredService<IEmailCodeSender>();

    /// <summary>Starts README's host. <paramref name="kestrel"/>: on a real loopback port instead of the test server.</summary>
    public static async Task<TestApp> StartAsync(bool kestrel = false, Action<WebApplicationBuilder>? before = null, Action<WebApplication>? after = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        if (kestrel)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        before?.Invoke(builder);
        var app = ReadmeHost.Configure(builder);
        after?.Invoke(app);
        await SeedAsync(app.Services);
        await app.StartAsync();
        var client = kestrel ? new HttpClient { BaseAddress = new Uri(app.Urls.Single()) } : app.GetTestClient();
        return new TestApp(app, client);
    }

    /// <summary>A panel session of <paramref name="dealer"/> with <paramref name="permissions"/>, as the host's panel login would start it.</summary>
    public string PanelHash(TenantId dealer, PanelUserPermissions permissions = PanelUserPermissions.Read | PanelUserPermissions.Update) =>
        Host.PanelSessions.Create(new PanelAccess(dealer, permissions), TimeSpan.FromHours(1));

    public Task<Answer> PostAsync(string path, object body, string? hash = null) => PostRawAsync(path, JsonSerializer.Serialize(body), hash);

    public async Task<Answer> PostRawAsync(string path, string json, string? hash = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/')) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (hash is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "NVX " + hash);
        }

        return await Answer.OfAsync(await Client.SendAsync(request));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    private static async Task SeedAsync(IServiceProvider services)
    {
        var directory = services.GetRequiredService<ITwoFactorDirectory>();
        var host = services.GetRequiredService<MyHost>();
        await directory.RegisterAccountAsync(Acme, 101);
        await directory.RegisterSubUserAsync(Acme, 102, 101);
        await directory.RegisterAccountAsync(Acme, 105, isDemo: true);
        await directory.RegisterAccountAsync(Beacon, 101);
        Add(host, new TwoFactorUser(Acme, 101, "fleet@acme.example"), "fleet-pass");
        Add(host, new TwoFactorUser(Acme, 102, "dispatcher@acme.example"), "dispatcher-pass");
        Add(host, new TwoFactorUser(Acme, 105, "demo@acme.example") { IsDemo = true }, "demo-pass");
        Add(host, new TwoFactorUser(Beacon, 101, "north@beacon.example"), "north-pass");
    }

    private static void Add(MyHost host, TwoFactorUser user, string password) =>
        host.Users[user.Login] = (user, SHA256.HashData(Encoding.UTF8.GetBytes(password)));
}

/// <summary>An answer, parsed.</summary>
internal sealed record Answer(HttpStatusCode Status, MediaTypeHeaderValue? ContentType, JsonElement Body, string Text)
{
    public TimeSpan? RetryAfter { get; init; }

    public bool Success => Body.TryGetProperty("success", out var success) && success.GetBoolean();

    public int Code => Body.GetProperty("status").GetProperty("code").GetInt32();

    public string Description => Body.GetProperty("status").GetProperty("description").GetString()!;

    public string Hash => Body.GetProperty("hash").GetString()!;

    public string Value => Body.GetProperty("value").GetRawText();

    public static async Task<Answer> OfAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            using var document = JsonDocument.Parse(text);
            return new Answer(response.StatusCode, response.Content.Headers.ContentType, document.RootElement.Clone(), text)
            {
                RetryAfter = response.Headers.RetryAfter?.Delta,
            };
        }
    }
}
