using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.AspNetCore;
using Navixy.TwoFactor.AspNetCore.SecondStep;
using Navixy.TwoFactor.Sample.Seeding;

namespace Navixy.TwoFactor.Sample.Tests;

/// <summary>
/// The sample host started for a test: real Kestrel on a free loopback port (<c>http://127.0.0.1:0</c>), seeded,
/// driven with a real <see cref="HttpClient"/>. Each instance has its own in-memory state.
/// </summary>
internal sealed partial class SampleServer : IAsyncDisposable
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

    /// <summary>The user sessions, full and restricted.</summary>
    public UserSessionTable Sessions => new(_app.Services);

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
        var app = await SampleApp.CreateAsync(args, services =>
        {
            services.AddSingleton<IPendingSecondStepStore>(s => new CountingPendingStore(s.GetRequiredService<TimeProvider>(), s.GetRequiredService<IOptions<TwoFactorHttpOptions>>()));
            configureServices?.Invoke(services);
        });
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
    /// <param name="path">The call.</param>
    /// <param name="content">The body.</param>
    /// <param name="authorization">The whole header value, or none.</param>
    /// <param name="expectContinue">
    /// Send <c>Expect: 100-continue</c>, so a server that refuses the body by its length answers before the body is
    /// sent (otherwise the server may close the connection while the client is still uploading).
    /// </param>
    public async Task<WireResponse> SendAsync(string path, HttpContent content, string? authorization, bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/')) { Content = content };
        request.Headers.ExpectContinue = expectContinue;
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return new WireResponse(response.StatusCode, response.Content.Headers.ContentType, document.RootElement.Clone(), text)
        {
            CacheControl = response.Headers.CacheControl?.ToString(),
            RetryAfter = response.Headers.RetryAfter?.Delta,
        };
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

    /// <summary>Enforces email codes for all users of the panel login's dealer.</summary>
    public async Task EnforceForAllAsync(string panelLogin = "acme.admin", string factorType = "email")
    {
        var panel = await PanelHashAsync(panelLogin);
        var update = await PostAsync(
            "panel/user/mfa/settings/update",
            new { target = new { type = "all" }, settings = new { type = "allowed", factor_types = new[] { factorType } } },
            panel);
        Assert.That(update.Success, Is.True, update.Text);
    }

    /// <summary>Signs a user in whose second step is required, and answers the restricted hash.</summary>
    public async Task<string> PendingHashAsync(string login)
    {
        var auth = await UserAuthAsync(login);
        Assert.That(auth.Success, Is.True, auth.Text);
        Assert.That(auth.Body.GetProperty("type").GetString(), Is.EqualTo("second_factor_required"), auth.Text);
        return auth.Hash;
    }

    /// <summary>Verifies a code with a restricted hash.</summary>
    public Task<WireResponse> VerifyAsync(string pendingHash, string code) =>
        PostAsync("user/auth/code/verify", new { code }, pendingHash);

    /// <summary>Asks for a new code with a restricted hash.</summary>
    public Task<WireResponse> ResendAsync(string pendingHash) =>
        PostAsync("user/auth/code/resend", new { }, pendingHash);

    /// <summary>The outbox files addressed to <paramref name="email"/>, oldest first (file names sort by time, then sequence).</summary>
    public string[] OutboxFilesTo(string email) => Directory.Exists(OutboxDirectory)
        ? Directory.GetFiles(OutboxDirectory, "*.txt")
            .Order(StringComparer.Ordinal)
            .Where(f => File.ReadLines(f).Any(line => line.TrimEnd() == "To:      " + email))
            .ToArray()
        : [];

    /// <summary>The code in the latest outbox file addressed to <paramref name="email"/>, read as a person would.</summary>
    public string LatestCode(string email)
    {
        var files = OutboxFilesTo(email);
        Assert.That(files, Is.Not.Empty, "no message to " + email + " in the outbox");
        var match = CodeLine().Match(File.ReadAllText(files[^1]));
        Assert.That(match.Success, Is.True, "the message carries a code line");
        return match.Groups[1].Value;
    }

    /// <summary>Signs a user in through both steps (code from the outbox) and answers the full session hash.</summary>
    public async Task<string> FullHashWithCodeAsync(string login)
    {
        var pending = await PendingHashAsync(login);
        var verify = await VerifyAsync(pending, LatestCode(login));
        Assert.That(verify.Success, Is.True, verify.Text);
        return verify.Hash;
    }

    /// <summary>A well-formed code that is not <paramref name="code"/> (each digit moved on by one).</summary>
    public static string OtherCode(string code) =>
        string.Concat(code.Select(c => (char)('0' + ((c - '0' + 1) % 10))));

    /// <summary>The seeded password of a user login.</summary>
    public static string SeedPassword(string login) => SeedData.Dealers
        .SelectMany(d => d.Accounts)
        .SelectMany(a => a.SubUsers.Select(s => (s.Login, s.Password)).Prepend((a.Login, a.Password)))
        .Single(u => u.Login == login).Password;

    [GeneratedRegex(@"^Your sign-in code: ([0-9]+)\r?$", RegexOptions.Multiline)]
    private static partial Regex CodeLine();

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
    /// <summary>The <c>Cache-Control</c> header, when sent.</summary>
    public string? CacheControl { get; init; }

    /// <summary>The <c>Retry-After</c> header (seconds), when sent.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public bool Success => Body.GetProperty("success").GetBoolean();

    public int Code => Body.GetProperty("status").GetProperty("code").GetInt32();

    public string Description => Body.GetProperty("status").GetProperty("description").GetString()!;

    public string Hash => Body.GetProperty("hash").GetString()!;

    public bool HasHash => Body.TryGetProperty("hash", out _);

    /// <summary>The <c>value</c> of a settings read, as compact JSON.</summary>
    public string Value => Body.GetProperty("value").GetRawText();
}
