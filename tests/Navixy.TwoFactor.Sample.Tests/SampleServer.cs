using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Sample.Seeding;

namespace Navixy.TwoFactor.Sample.Tests;

/// <summary>
/// The sample host started for a test: real Kestrel on a free loopback port (<c>http://127.0.0.1:0</c>), seeded,
/// driven with a real <see cref="HttpClient"/>. Each instance has its own in-memory state.
/// </summary>
internal sealed class SampleServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _client;

    private SampleServer(WebApplication app, Uri baseAddress, string outboxDirectory)
    {
        _app = app;
        BaseAddress = baseAddress;
        OutboxDirectory = outboxDirectory;
        _client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public string OutboxDirectory { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server. <paramref name="settings"/> are extra configuration, e.g. <c>Sample:Credentials:MaxFailedLogins=3</c>.</summary>
    public static async Task<SampleServer> StartAsync(Action<IServiceCollection>? configureServices = null, params string[] settings)
    {
        var outbox = Path.Combine(Path.GetTempPath(), "navixy-twofactor-sample-tests", Guid.NewGuid().ToString("N"));
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            // The lowest iteration count the sample accepts, to keep seeding fast; still real PBKDF2.
            "--Sample:Credentials:PasswordIterations=100000",
            "--Sample:Outbox:WriteToConsole=false",
            "--Sample:Outbox:Directory=" + outbox,
            "--Logging:LogLevel:Default=Warning",
            .. settings.Select(s => "--" + s),
        ];
        var app = await SampleApp.CreateAsync(args, configureServices);
        await app.StartAsync();
        var address = app.Urls.Single();
        Assert.That(new Uri(address).IsLoopback, Is.True, "the sample must listen on loopback");
        return new SampleServer(app, new Uri(address), outbox);
    }

    /// <summary>POSTs a JSON value serialized from <paramref name="body"/>.</summary>
    public Task<WireResponse> PostAsync(string path, object body, string? hash = null) =>
        PostRawAsync(path, JsonSerializer.Serialize(body), hash);

    /// <summary>POSTs <paramref name="json"/> as it is (which may be malformed on purpose).</summary>
    public Task<WireResponse> PostRawAsync(string path, string json, string? hash = null) =>
        SendAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), hash is null ? null : "NVX " + hash);

    /// <summary>POSTs with an <c>Authorization</c> header given in full (or none).</summary>
    public async Task<WireResponse> SendAsync(string path, HttpContent content, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/')) { Content = content };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return new WireResponse(response.StatusCode, response.Content.Headers.ContentType, document.RootElement.Clone(), text);
    }

    /// <summary>Signs in to the Admin Panel and answers the panel session hash.</summary>
    public async Task<string> PanelHashAsync(string login = "acme.admin")
    {
        var password = SeedData.Dealers.SelectMany(d => d.PanelLogins).Single(p => p.Login == login).Password;
        var response = await PostAsync("panel/account/auth", new { login, password });
        Assert.That(response.Success, Is.True, response.Text);
        return response.Hash;
    }

    /// <summary>Signs a user in with the seeded password.</summary>
    public Task<WireResponse> UserAuthAsync(string login) =>
        PostAsync("user/auth", new { login, password = SeedPassword(login) });

    /// <summary>The seeded password of a user login.</summary>
    public static string SeedPassword(string login) => SeedData.Dealers
        .SelectMany(d => d.Accounts)
        .SelectMany(a => a.SubUsers.Select(s => (s.Login, s.Password)).Prepend((a.Login, a.Password)))
        .Single(u => u.Login == login).Password;

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(OutboxDirectory))
        {
            Directory.Delete(OutboxDirectory, recursive: true);
        }
    }
}

/// <summary>An answer of the sample, parsed.</summary>
internal sealed record WireResponse(HttpStatusCode Status, MediaTypeHeaderValue? ContentType, JsonElement Body, string Text)
{
    public bool Success => Body.GetProperty("success").GetBoolean();

    public int Code => Body.GetProperty("status").GetProperty("code").GetInt32();

    public string Description => Body.GetProperty("status").GetProperty("description").GetString()!;

    public string Hash => Body.GetProperty("hash").GetString()!;

    public bool HasHash => Body.TryGetProperty("hash", out _);

    /// <summary>The <c>value</c> of a settings read, as compact JSON.</summary>
    public string Value => Body.GetProperty("value").GetRawText();
}
