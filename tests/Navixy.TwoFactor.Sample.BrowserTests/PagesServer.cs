using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Sample.Pages;
using Navixy.TwoFactor.Sample.Seeding;

namespace Navixy.TwoFactor.Sample.BrowserTests;

/// <summary>
/// The sample with its pages, started for one test: real Kestrel on a free loopback port, seeded, with a fake clock
/// the test moves (so a minute's wait between emailed codes, or the next authenticator step, takes no real time).
/// </summary>
internal sealed partial class PagesServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PagesServer(WebApplication app, Uri baseAddress, string outbox, FakeTimeProvider clock)
    {
        _app = app;
        BaseAddress = baseAddress;
        OutboxDirectory = outbox;
        Clock = clock;
    }

    public Uri BaseAddress { get; }

    public string OutboxDirectory { get; }

    public FakeTimeProvider Clock { get; }

    public static async Task<PagesServer> StartAsync()
    {
        var outbox = Path.Combine(Path.GetTempPath(), "navixy-twofactor-browser-tests", Guid.NewGuid().ToString("N"));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            // The lowest iteration count the sample accepts, to keep seeding fast; still real PBKDF2.
            "--Sample:Credentials:PasswordIterations=100000",
            "--Sample:Outbox:WriteToConsole=false",
            "--Sample:Outbox:Directory=" + outbox,
            "--Logging:LogLevel:Default=Warning",
        ];
        var app = await SampleApp.CreateAsync(args, services => services.AddSingleton<TimeProvider>(clock));
        app.MapSamplePages();
        await app.StartAsync();
        var address = new Uri(app.Urls.Single());
        Assert.That(address.IsLoopback, Is.True, "the sample must listen on loopback");
        return new PagesServer(app, address, outbox, clock);
    }

    /// <summary>The address of a page, e.g. <c>admin/sign-in.html</c>.</summary>
    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    /// <summary>The code in the latest outbox message to <paramref name="email"/>, read as a person would.</summary>
    public string LatestCode(string email)
    {
        var files = Directory.Exists(OutboxDirectory)
            ? Directory.GetFiles(OutboxDirectory, "*.txt")
                .Order(StringComparer.Ordinal)
                .Where(f => File.ReadLines(f).Any(line => line.TrimEnd() == "To:      " + email))
                .ToArray()
            : [];
        Assert.That(files, Is.Not.Empty, "no message to " + email + " in the development outbox");
        var match = CodeLine().Match(File.ReadAllText(files[^1]));
        Assert.That(match.Success, Is.True, "the message carries a code line");
        return match.Groups[1].Value;
    }

    /// <summary>How many outbox messages went to <paramref name="email"/>.</summary>
    public int MessagesTo(string email) => Directory.Exists(OutboxDirectory)
        ? Directory.GetFiles(OutboxDirectory, "*.txt").Count(f => File.ReadLines(f).Any(line => line.TrimEnd() == "To:      " + email))
        : 0;

    /// <summary>The seeded password of a user or panel login.</summary>
    public static string SeedPassword(string login) => SeedData.Dealers
        .SelectMany(d => d.Accounts.SelectMany(a => a.SubUsers.Select(s => (s.Login, s.Password)).Prepend((a.Login, a.Password)))
            .Concat(d.PanelLogins.Select(p => (p.Login, p.Password))))
        .Single(u => u.Login == login).Password;

    [GeneratedRegex(@"^Your sign-in code: ([0-9]+)\r?$", RegexOptions.Multiline)]
    private static partial Regex CodeLine();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(OutboxDirectory))
        {
            Directory.Delete(OutboxDirectory, recursive: true);
        }
    }
}
