using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Sample.Seeding;

namespace Navixy.TwoFactor.Sample.Tests;

public class SampleHostTests
{
    // README shows the outbox of `dotnet run` (Debug) relative to the repository root; the banner prints it absolute.
    private const string ReadmeOutbox = "samples/Navixy.TwoFactor.Sample/bin/Debug/net10.0/outbox";

    [Test]
    public async Task Create_WithoutUrls_ListensOnLoopbackPort5080()
    {
        // Built but not started: nothing binds the port.
        await using var app = await SampleApp.CreateAsync(["--Sample:Credentials:PasswordIterations=100000"]);

        Assert.That(app.Configuration[WebHostDefaults.ServerUrlsKey], Is.EqualTo("http://127.0.0.1:5080"));
    }

    [Test]
    public async Task Create_WithUrls_ListensWhereTold()
    {
        await using var app = await SampleApp.CreateAsync(["--urls", "http://127.0.0.1:5999", "--Sample:Credentials:PasswordIterations=100000"]);

        Assert.That(app.Configuration[WebHostDefaults.ServerUrlsKey], Is.EqualTo("http://127.0.0.1:5999"));
    }

    [Test]
    public void Create_WithTooFewPasswordIterations_FailsAtStartUp() =>
        Assert.That(
            async () => await SampleApp.CreateAsync(["--Sample:Credentials:PasswordIterations=1000"]),
            Throws.InstanceOf<OptionsValidationException>());

    [Test]
    public async Task Create_WithKeyMaterialInConfiguration_GivesItToTheLibrary()
    {
        var key = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)i).ToArray());
        await using var app = await SampleApp.CreateAsync(["--Sample:Credentials:PasswordIterations=100000", "--TwoFactor:KeyMaterial=" + key]);

        Assert.That(app.Services.GetRequiredService<IOptions<TwoFactorOptions>>().Value.KeyMaterial, Is.EqualTo(key));
    }

    [Test]
    public async Task Start_WithTooShortKeyMaterial_FailsAtStartUp()
    {
        await using var app = await SampleApp.CreateAsync(
            ["--urls", "http://127.0.0.1:0", "--Sample:Credentials:PasswordIterations=100000", "--TwoFactor:KeyMaterial=" + Convert.ToBase64String(new byte[16])]);

        Assert.That(async () => await app.StartAsync(), Throws.InstanceOf<OptionsValidationException>());
    }

    [Test]
    public async Task Create_WithChallengeLimitsInConfiguration_GivesThemToTheLibrary()
    {
        await using var app = await SampleApp.CreateAsync(["--Sample:Credentials:PasswordIterations=100000", "--TwoFactor:Challenges:CodeLength=8"]);

        Assert.That(app.Services.GetRequiredService<IOptions<TwoFactorOptions>>().Value.Challenges.CodeLength, Is.EqualTo(8));
    }

    [TestCase(false, "ephemeral")]
    [TestCase(true, "configured")]
    public void Banner_SaysWhereTheKeyMaterialComesFrom(bool configured, string said)
    {
        using var writer = new StringWriter();

        SampleBanner.Write(writer, SampleApp.DefaultUrl, "/tmp/outbox", configured, "in-memory stores");

        Assert.That(writer.ToString(), Does.Contain("Key material: ").And.Contain(said));
    }

    [Test]
    public void SeedData_OverlapsIdsAcrossDealers()
    {
        var acme = SeedData.Acme.Accounts.SelectMany(a => a.SubUsers.Select(s => s.Id).Prepend(a.Id)).ToHashSet();
        var beacon = SeedData.Beacon.Accounts.Select(a => a.Id).ToHashSet();

        Assert.That(acme.Intersect(beacon), Is.EquivalentTo(new long[] { 101, 102 }));
    }

    [Test]
    public void Banner_ListsEverySeededLoginWithItsPassword()
    {
        using var writer = new StringWriter();

        SampleBanner.Write(writer, SampleApp.DefaultUrl, "/tmp/outbox", keyMaterialConfigured: false, "in-memory stores");

        var text = writer.ToString();
        foreach (var dealer in SeedData.Dealers)
        {
            foreach (var login in dealer.PanelLogins)
            {
                Assert.That(text, Does.Contain(login.Login).And.Contain(login.Password));
            }

            foreach (var user in dealer.Accounts.SelectMany(a => a.SubUsers.Select(s => (s.Login, s.Password)).Prepend((a.Login, a.Password))))
            {
                Assert.That(text, Does.Contain(user.Login).And.Contain(user.Password));
            }
        }
    }

    [Test]
    public void Readme_SampleHostSection_ShowsThePrintedWalkthrough()
    {
        var readme = File.ReadAllText(FindReadme());
        var section = readme[readme.IndexOf("## Sample host", StringComparison.Ordinal)..];

        Assert.That(section, Does.Contain("dotnet run --project samples/Navixy.TwoFactor.Sample"));
        foreach (var line in SampleBanner.Walkthrough(SampleApp.DefaultUrl, ReadmeOutbox))
        {
            Assert.That(section, Does.Contain(line));
        }
    }

    private static string FindReadme()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "README.md");
            if (File.Exists(candidate) && File.Exists(Path.Combine(directory.FullName, "Navixy.TwoFactor.sln")))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("README.md beside Navixy.TwoFactor.sln was not found above " + AppContext.BaseDirectory);
    }
}
