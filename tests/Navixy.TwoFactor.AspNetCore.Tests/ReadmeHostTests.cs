using System.Net;
using System.Text.RegularExpressions;
using Navixy.TwoFactor.AspNetCore.Hosting;

namespace Navixy.TwoFactor.AspNetCore.Tests;

/// <summary>
/// README's "Use it in ASP.NET Core" host, with its own user table, passes the Navixy replay of the Panel API and of the
/// login step: the checks the sample's end-to-end tests make.
/// </summary>
public partial class ReadmeHostTests
{
    private const string AllowEmail = """{"target": {"type": "all"}, "settings": {"type": "allowed", "factor_types": ["email"]}}""";

    [Test]
    public void Readme_ShowsExactlyTheHostTheTestsBuild()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var start = readme.IndexOf("## Use it in ASP.NET Core", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThan(0), "README has the section");
        var blockStart = readme.IndexOf("```csharp\n", start, StringComparison.Ordinal) + "```csharp\n".Length;
        var block = readme[blockStart..readme.IndexOf("```\n", blockStart, StringComparison.Ordinal)];
        var source = File.ReadAllText(Path.Combine(RepositoryRoot(), "tests", "Navixy.TwoFactor.AspNetCore.Tests", "ReadmeHost.cs"));

        var lines = Lines(block);
        Assert.That(lines.Count(l => l.Length > 0), Is.LessThanOrEqualTo(30), "the minimal host fits in 30 lines");
        foreach (var part in Regions().Matches(source).Select(m => m.Groups[1].Value))
        {
            Assert.That(string.Join('\n', lines), Does.Contain(string.Join('\n', Lines(part))), "README shows the host's lines as the test builds them");
        }
    }

    [Test]
    public async Task PanelApi_ReadUpdateRead_FollowsNavixy()
    {
        await using var app = await TestApp.StartAsync();
        var panel = app.PanelHash(TestApp.Acme);

        var before = await app.PostRawAsync("panel/user/mfa/settings/read", """{"user_id": 101}""", panel);
        var update = await app.PostRawAsync("panel/user/mfa/settings/update", AllowEmail, panel);
        var after = await app.PostRawAsync("panel/user/mfa/settings/read", """{"user_id": 101}""", panel);
        var otherDealer = await app.PostRawAsync("panel/user/mfa/settings/read", """{"user_id": 101}""", app.PanelHash(TestApp.Beacon));
        var defaults = await app.PostRawAsync("panel/user/mfa/settings/default/read", "{}", panel);

        Assert.That(before.Text, Is.EqualTo("""{"success":true,"value":{"type":"disallowed"}}"""));
        Assert.That(update.Text, Is.EqualTo("""{"success":true}"""));
        Assert.That(after.Text, Is.EqualTo("""{"success":true,"value":{"type":"allowed","factor_types":["email"]}}"""));
        Assert.That(otherDealer.Value, Is.EqualTo("""{"type":"disallowed"}"""), "dealer 2 is not touched");
        Assert.That(defaults.Text, Is.EqualTo("""{"success":true,"value":{"type":"disallowed"}}"""), "an update of all accounts leaves the default for new ones");
    }

    [Test]
    public async Task PanelApi_Refusals_FollowNavixy()
    {
        await using var app = await TestApp.StartAsync();
        var panel = app.PanelHash(TestApp.Acme);

        var subUser = await app.PostRawAsync("panel/user/mfa/settings/read", """{"user_id": 102}""", panel);
        var unknown = await app.PostRawAsync("panel/user/mfa/settings/update", """{"target": {"type": "selected", "ids": [101, 999]}, "settings": {"type": "disallowed"}}""", panel);
        var readOnly = await app.PostRawAsync("panel/user/mfa/settings/update", AllowEmail, app.PanelHash(TestApp.Acme, Hosting.PanelUserPermissions.Read));
        var noSession = await app.PostRawAsync("panel/user/mfa/settings/read", """{"user_id": 101}""", new string('0', 32));
        var wrongHash = await app.PostRawAsync("panel/user/mfa/settings/read", """{"user_id": 101}""", "not-a-hash");
        var missing = await app.PostRawAsync("panel/user/mfa/settings/update", """{"target": {"type": "all"}, "settings": {"type": "allowed"}}""", panel);

        Assert.That((subUser.Code, subUser.Status), Is.EqualTo((201, HttpStatusCode.BadRequest)), subUser.Text);
        Assert.That(unknown.Code, Is.EqualTo(201), unknown.Text);
        Assert.That((readOnly.Code, readOnly.Status), Is.EqualTo((13, HttpStatusCode.Forbidden)), readOnly.Text);
        Assert.That(noSession.Code, Is.EqualTo(4));
        Assert.That(wrongHash.Code, Is.EqualTo(3));
        Assert.That(missing.Code, Is.EqualTo(7), missing.Text);
    }

    [Test]
    public async Task Login_WithEmailCode_FollowsNavixy()
    {
        await using var app = await TestApp.StartAsync();
        await app.PostRawAsync("panel/user/mfa/settings/update", AllowEmail, app.PanelHash(TestApp.Acme));

        var auth = await app.PostAsync("user/auth", new { login = "fleet@acme.example", password = "fleet-pass" });
        var restricted = await app.PostRawAsync("user/auth/totp/status", "{}", auth.Hash);
        var resend = await app.PostRawAsync("user/auth/code/resend", "{}", auth.Hash);
        var code = app.Mailer.LastCode(TestApp.Acme, 101);
        var wrong = await app.PostAsync("user/auth/code/verify", new { code = code == "000000" ? "111111" : "000000" }, auth.Hash);
        var verify = await app.PostAsync("user/auth/code/verify", new { code }, auth.Hash);
        var again = await app.PostAsync("user/auth/code/verify", new { code }, auth.Hash);
        var full = await app.PostRawAsync("user/auth/totp/status", "{}", verify.Hash);

        Assert.That(auth.Text, Does.Match("""^\{"success":true,"type":"second_factor_required","factor_type":"email","hash":"[0-9a-f]{32}"\}$"""));
        Assert.That(restricted.Code, Is.EqualTo(4), "the restricted hash is good only for the code calls");
        Assert.That((resend.Code, resend.Status), Is.EqualTo((15, HttpStatusCode.TooManyRequests)), resend.Text);
        Assert.That(resend.RetryAfter, Is.Not.Null);
        Assert.That((wrong.Code, wrong.Description), Is.EqualTo((282, "Wrong authentication code.")));
        Assert.That(verify.Text, Does.Match("""^\{"success":true,"hash":"[0-9a-f]{32}"\}$"""));
        Assert.That(again.Code, Is.EqualTo(4), "a restricted hash is exchanged once");
        Assert.That(full.Success, Is.True, full.Text);
        Assert.That(app.Host.Sessions.Count, Is.EqualTo(1), "one full session, started by the host after the pass");
    }

    [Test]
    public async Task Login_NoSecondStep_AndRefusals_FollowNavixy()
    {
        await using var app = await TestApp.StartAsync();
        await app.PostRawAsync("panel/user/mfa/settings/update", AllowEmail, app.PanelHash(TestApp.Acme));

        var demo = await app.PostAsync("user/auth", new { login = "demo@acme.example", password = "demo-pass" });
        var otherDealer = await app.PostAsync("user/auth", new { login = "north@beacon.example", password = "north-pass" });
        var wrongPassword = await app.PostAsync("user/auth", new { login = "fleet@acme.example", password = "nope" });
        var unknown = await app.PostAsync("user/auth", new { login = "nobody@acme.example", password = "nope" });
        var subUser = await app.PostAsync("user/auth", new { login = "dispatcher@acme.example", password = "dispatcher-pass" });

        Assert.That(demo.Text, Does.Match("""^\{"success":true,"hash":"[0-9a-f]{32}"\}$"""), "a demo user is never asked for 2FA");
        Assert.That(otherDealer.Text, Does.Match("""^\{"success":true,"hash":"[0-9a-f]{32}"\}$"""), "dealer 2 is not touched");
        Assert.That((wrongPassword.Code, unknown.Code), Is.EqualTo((102, 102)));
        Assert.That(subUser.Body.GetProperty("type").GetString(), Is.EqualTo("second_factor_required"), "sub-users follow their account");
    }

    private static string[] Lines(string text) =>
        text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n').Select(l => l.Trim()).Where(l => !l.StartsWith("// README:", StringComparison.Ordinal)).ToArray();

    [GeneratedRegex(@"// README:(?:program|host)\n(.*?)// README:end", RegexOptions.Singleline)]
    private static partial Regex Regions();

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Navixy.TwoFactor.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root was not found above the test directory.");
    }
}
