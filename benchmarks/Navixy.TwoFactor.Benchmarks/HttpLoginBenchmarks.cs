using System.Net.Http.Json;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Sample;
using Navixy.TwoFactor.Sample.Email;
using Navixy.TwoFactor.Sample.Seeding;
using Navixy.TwoFactor.Settings;

namespace Navixy.TwoFactor.Benchmarks;

/// <summary>
/// A whole login over HTTP on the sample host (in-memory stores, Kestrel on loopback): <c>user/auth</c> with the password,
/// the emailed code read from the development outbox, <c>user/auth/code/verify</c> — by 1, 8 or 32 concurrent clients,
/// each logging in its own users. Baseline in the same run and host: the same number of requests (two per login) to a
/// trivial endpoint. Each reported time is per login. The sample hashes passwords with PBKDF2-SHA256 at its lowest
/// setting (100,000 iterations); <see cref="LoginWithoutPasswordWork"/> repeats the login with the password check's share
/// measured apart (<see cref="PasswordCheckOnly"/>), so the report says where the time goes.
/// </summary>
[MemoryDiagnoser(false)]
public class HttpLoginBenchmarks
{
    private const int LoginsPerClient = 4;
    private const int MaxClients = 32;
    private static readonly TenantId Dealer = new(9_000);

    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private FakeTimeProvider _clock = null!;
    private DevelopmentOutbox _outbox = null!;
    private string _outboxDirectory = null!;
    private Dictionary<int, Sample.Credentials.PasswordHash> _hashes = [];

    /// <summary>Concurrent clients.</summary>
    [Params(1, 8, 32)]
    public int Clients { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _outboxDirectory = Path.Combine(Path.GetTempPath(), "navixy-twofactor-bench-outbox", Guid.NewGuid().ToString("N"));
        _clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--Sample:Credentials:PasswordIterations=100000",
            "--Sample:Outbox:WriteToConsole=false",
            "--Sample:Outbox:KeepInMemory=1000",
            "--Sample:Outbox:Directory=" + _outboxDirectory,
            "--Logging:LogLevel:Default=Error",
        ];
        _app = SampleApp.CreateAsync(args, services => services.AddSingleton<TimeProvider>(_clock)).GetAwaiter().GetResult();
        _app.MapGet("/bench/ping", () => Results.Text("pong"));
        _app.StartAsync().GetAwaiter().GetResult();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()) };
        _outbox = _app.Services.GetRequiredService<DevelopmentOutbox>();

        var accounts = Enumerable.Range(1, MaxClients * LoginsPerClient)
            .Select(i => new SeedAccount(900_000 + i, Login(i), Password(i), "Bench " + i))
            .ToArray();
        Seeder.SeedAsync(_app.Services, [new SeedDealer(Dealer.Value, "Bench dealer", [], accounts)]).GetAwaiter().GetResult();
        _app.Services.GetRequiredService<ITwoFactorSettings>()
            .EnforceForEveryoneAsync(Dealer, TwoFactorSetting.Allowed(FactorTypes.Email)).AsTask().GetAwaiter().GetResult();
        var users = _app.Services.GetRequiredService<Sample.Users.UserDirectory>();
        _hashes = Enumerable.Range(1, MaxClients * LoginsPerClient)
            .ToDictionary(i => i, i => users.TryFind(Login(i), out var user) ? user.Password : throw new InvalidOperationException(Login(i)));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _app.StopAsync().GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (Directory.Exists(_outboxDirectory))
        {
            Directory.Delete(_outboxDirectory, recursive: true);
        }
    }

    /// <summary>Every iteration starts a minute later, past the per-user send cooldown (policy.md C9) of the last one.</summary>
    [IterationSetup]
    public void NextMinute() => _clock.Advance(TimeSpan.FromMinutes(2));

    [Benchmark(Baseline = true, OperationsPerInvoke = MaxClients * LoginsPerClient, Description = "Baseline: two trivial GETs per login")]
    public Task TrivialEndpoint() => ByClientsAsync(async (_, _) =>
    {
        (await _client.GetAsync(new Uri("bench/ping", UriKind.Relative))).EnsureSuccessStatusCode();
        (await _client.GetAsync(new Uri("bench/ping", UriKind.Relative))).EnsureSuccessStatusCode();
    });

    [Benchmark(OperationsPerInvoke = MaxClients * LoginsPerClient, Description = "Login: password, emailed code, verify")]
    public Task Login() => ByClientsAsync(LoginAsync);

    [Benchmark(OperationsPerInvoke = MaxClients * LoginsPerClient, Description = "(reference) the password check alone: PBKDF2-SHA256, 100,000 iterations")]
    public Task PasswordCheckOnly() => ByClientsAsync((user, _) =>
    {
        Sample.Credentials.PasswordHasher.Verify(_hashes[user], Password(user));
        return Task.CompletedTask;
    });

    /// <summary>The login minus its password check, computed as a benchmark of its own so it has an interval: see the doc.</summary>
    [Benchmark(OperationsPerInvoke = MaxClients * LoginsPerClient, Description = "(reference) second step alone: start + verify through the library")]
    public Task LoginWithoutPasswordWork() => ByClientsAsync(async (user, _) =>
    {
        var challenges = _app.Services.GetRequiredService<Challenges.ITwoFactorChallenges>();
        var started = await challenges.StartAsync(Dealer, 900_000 + user);
        var verified = await challenges.VerifyAsync(Dealer, started.Token, LastCode(Login(user)));
        if (!verified.IsPassed)
        {
            throw new InvalidOperationException(verified.ToString());
        }
    });

    private async Task LoginAsync(int user, int client)
    {
        using var auth = await _client.PostAsJsonAsync(new Uri("user/auth", UriKind.Relative), new { login = Login(user), password = Password(user) });
        using var authBody = JsonDocument.Parse(await auth.Content.ReadAsStringAsync());
        var pending = authBody.RootElement.GetProperty("hash").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("user/auth/code/verify", UriKind.Relative))
        {
            Content = JsonContent.Create(new { code = LastCode(Login(user)) }),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "NVX " + pending);
        using var verify = await _client.SendAsync(request);
        using var verifyBody = JsonDocument.Parse(await verify.Content.ReadAsStringAsync());
        if (!verifyBody.RootElement.GetProperty("success").GetBoolean())
        {
            throw new InvalidOperationException($"client {client}: {verifyBody.RootElement}");
        }
    }

    /// <summary>Runs <see cref="LoginsPerClient"/> × 32 / <see cref="Clients"/> logins on each of <see cref="Clients"/> clients, each its own users.</summary>
    private Task ByClientsAsync(Func<int, int, Task> login)
    {
        var perClient = MaxClients * LoginsPerClient / Clients;
        return Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            for (var i = 0; i < perClient; i++)
            {
                await login((client * perClient) + i + 1, client);
            }
        })));
    }

    private string LastCode(string login)
    {
        var message = _outbox.Recent.LastOrDefault(m => m.To == login) ?? throw new InvalidOperationException("no code for " + login);
        var line = message.Body.Split('\n').First(l => l.StartsWith(OutboxCodeSender.CodeLinePrefix, StringComparison.Ordinal));
        return line[OutboxCodeSender.CodeLinePrefix.Length..].Trim();
    }

    private static string Login(int i) => $"bench{i}@bench.example";

    private static string Password(int i) => $"bench-password-{i}";
}
