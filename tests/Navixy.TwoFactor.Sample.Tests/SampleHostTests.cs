using Microsoft.AspNetCore.Hosting;
using Navixy.TwoFactor.Sample.Seeding;

namespace Navixy.TwoFactor.Sample.Tests;

public class SampleHostTests
{
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
            Throws.InstanceOf<Microsoft.Extensions.Options.OptionsValidationException>());

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

        SampleBanner.Write(writer, SampleApp.DefaultUrl, "/tmp/outbox");

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
        foreach (var line in SampleBanner.Walkthrough(SampleApp.DefaultUrl))
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
