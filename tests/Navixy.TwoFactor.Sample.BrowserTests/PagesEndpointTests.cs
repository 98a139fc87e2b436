using System.Net;
using System.Text;
using System.Text.Json;

namespace Navixy.TwoFactor.Sample.BrowserTests;

/// <summary>
/// The endpoints the pages add, over plain HTTP (no browser): each acts inside the panel session's dealer, updates need
/// <c>users: update</c>, a dry run changes nothing, the QR code needs a signed-in user, and the pages are served with
/// their security headers.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "NUnit disposes it in TearDown.")]
public sealed class PagesEndpointTests
{
    private PagesServer _server = null!;
    private HttpClient _client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _server = await PagesServer.StartAsync();
        _client = new HttpClient { BaseAddress = _server.BaseAddress };
    }

    [TearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task List_AnswersOnlyTheSessionsDealer_WithExplanations()
    {
        var beacon = await ListAsync(await PanelAsync("beacon.admin"));
        Assert.That(beacon.Select(u => u.GetProperty("login").GetString()), Is.EqualTo(new[] { "north@beacon.example", "south@beacon.example" }));

        var acme = await ListAsync(await PanelAsync("acme.viewer"));
        var dispatcher = acme.Single(u => u.GetProperty("id").GetInt64() == 102);
        Assert.That(dispatcher.GetProperty("kind").GetString(), Is.EqualTo("sub_user"));
        Assert.That(dispatcher.TryGetProperty("settings", out _), Is.False, "a sub-user has no setting of its own");
        Assert.That(dispatcher.GetProperty("requirement").GetProperty("rule").GetString(), Is.EqualTo("R2"));
        var demo = acme.Single(u => u.GetProperty("id").GetInt64() == 105);
        Assert.That(demo.GetProperty("requirement").GetProperty("reason").GetString(), Is.EqualTo("demo_account"));
    }

    [Test]
    [Description("S6: the all-users switch's dry run answers the count and changes nothing; applying changes those accounts")]
    public async Task Everyone_DryRunChangesNothing_ThenApplyChangesTheCountedAccounts()
    {
        var panel = await PanelAsync("acme.admin");
        var on = new { type = "allowed", factor_types = new[] { "email" } };

        var preview = await PostAsync("panel/user/mfa/settings/everyone", new { settings = on, dry_run = true }, panel);
        Assert.That(preview.GetProperty("changed_accounts").GetInt64(), Is.EqualTo(3));
        Assert.That(preview.GetProperty("dry_run").GetBoolean(), Is.True);
        Assert.That((await ListAsync(panel)).Count(u => u.GetProperty("requirement").GetProperty("required").GetBoolean()), Is.Zero);

        var applied = await PostAsync("panel/user/mfa/settings/everyone", new { settings = on }, panel);
        Assert.That(applied.GetProperty("changed_accounts").GetInt64(), Is.EqualTo(3));
        Assert.That((await ListAsync(panel)).Count(u => u.GetProperty("requirement").GetProperty("required").GetBoolean()), Is.EqualTo(5), "three accounts and two sub-users");
        var defaults = await PostAsync("panel/user/mfa/settings/default/read", new { }, panel);
        Assert.That(defaults.GetProperty("value").GetProperty("type").GetString(), Is.EqualTo("allowed"), "new users too");

        var again = await PostAsync("panel/user/mfa/settings/everyone", new { settings = on, dry_run = true }, panel);
        Assert.That(again.GetProperty("changed_accounts").GetInt64(), Is.Zero);
    }

    [Test]
    [Description("S11 A1 The \"all users\" switch with a later effective_from is scheduled: nothing changes now, it is listed and can be cancelled, both audited under the panel user; a bad moment is 7.")]
    public async Task Everyone_WithEffectiveFrom_IsScheduled_ListedAndCancelled()
    {
        var panel = await PanelAsync("acme.admin");
        var on = new { type = "allowed", factor_types = new[] { "email" } };
        var moment = DateTimeOffset.UtcNow.AddDays(1);

        var scheduled = await PostAsync("panel/user/mfa/settings/everyone", new { settings = on, effective_from = moment.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) }, panel);
        var bad = await PostAsync("panel/user/mfa/settings/everyone", new { settings = on, effective_from = "next week" }, panel, HttpStatusCode.BadRequest);
        var list = await PostAsync("panel/user/mfa/settings/scheduled/list", new { }, panel);

        Assert.That(scheduled.GetProperty("changed_accounts").GetInt64(), Is.Zero, "nothing changes before its moment");
        Assert.That(bad.GetProperty("status").GetProperty("code").GetInt32(), Is.EqualTo(7));
        Assert.That((await ListAsync(panel)).Count(u => u.GetProperty("requirement").GetProperty("required").GetBoolean()), Is.Zero);
        var change = list.GetProperty("list").EnumerateArray().Single();
        Assert.That(change.GetProperty("action").GetString(), Is.EqualTo("enforce_for_everyone"));
        Assert.That(change.GetProperty("id").GetInt64(), Is.EqualTo(scheduled.GetProperty("scheduled_id").GetInt64()));
        await PostAsync("panel/user/mfa/settings/scheduled/cancel", new { id = change.GetProperty("id").GetInt64() }, panel);
        Assert.That((await PostAsync("panel/user/mfa/settings/scheduled/list", new { }, panel)).GetProperty("list").GetArrayLength(), Is.Zero);
        var trail = (await PostAsync("panel/user/mfa/audit/list", new { }, panel)).GetProperty("list").EnumerateArray().Take(2).ToArray();
        Assert.That(trail.Select(e => e.GetProperty("actor").GetString()), Is.EqualTo(new[] { "panel:acme.admin", "panel:acme.admin" }), "A1: the sample's own call names its admitted panel user, as the package's calls do");
    }

    [Test]
    public async Task Updates_FromAViewer_AreRefused_And_UnlockOfAnotherDealersId_IsNotFound()
    {
        var viewer = await PanelAsync("acme.viewer");
        var everyone = await PostAsync("panel/user/mfa/settings/everyone", new { settings = new { type = "disallowed" }, dry_run = true }, viewer, HttpStatusCode.Forbidden);
        Assert.That(everyone.GetProperty("status").GetProperty("code").GetInt32(), Is.EqualTo(13));
        var unlock = await PostAsync("panel/user/mfa/unlock", new { user_id = 101 }, viewer, HttpStatusCode.Forbidden);
        Assert.That(unlock.GetProperty("status").GetProperty("code").GetInt32(), Is.EqualTo(13));

        var beacon = await PanelAsync("beacon.admin");
        var other = await PostAsync("panel/user/mfa/unlock", new { user_id = 103 }, beacon, HttpStatusCode.BadRequest);
        Assert.That(other.GetProperty("status").GetProperty("code").GetInt32(), Is.EqualTo(201));
        var own = await PostAsync("panel/user/mfa/unlock", new { user_id = 101 }, beacon);
        Assert.That(own.GetProperty("unlocked").GetBoolean(), Is.False, "nothing to unlock");
    }

    [Test]
    public async Task Qr_NeedsASignedInUser_AndDrawsOnlyOtpauthUris()
    {
        const string uri = "otpauth://totp/Acme%20Telematics:plain%40acme.example?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Telematics";
        using (var anonymous = await SendAsync("user/auth/totp/qr", new { otpauth_uri = uri }, null))
        {
            Assert.That(anonymous.StatusCode, Is.Not.EqualTo(HttpStatusCode.OK));
        }

        var user = await PostAsync("user/auth", new { login = "plain@acme.example", password = PagesServer.SeedPassword("plain@acme.example") }, null);
        var hash = user.GetProperty("hash").GetString();
        using (var drawn = await SendAsync("user/auth/totp/qr", new { otpauth_uri = uri }, hash))
        {
            Assert.That(drawn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(drawn.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/svg+xml"));
            Assert.That(drawn.Headers.CacheControl?.NoStore, Is.True);
            Assert.That(await drawn.Content.ReadAsStringAsync(), Does.Contain("<svg"));
        }

        var refused = await PostAsync("user/auth/totp/qr", new { otpauth_uri = "https://example.invalid/" }, hash, HttpStatusCode.BadRequest);
        Assert.That(refused.GetProperty("status").GetProperty("code").GetInt32(), Is.EqualTo(7));
    }

    [Test]
    [Description("G1: the QR code is drawn for the restricted hash of enrollment_required while the enrolment period runs, not after it")]
    public async Task G1_Qr_DrawsForTheEnrolmentHandle_UntilThePeriodEnds()
    {
        const string uri = "otpauth://totp/Acme%20Telematics:plain%40acme.example?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Telematics";
        var panel = await PanelAsync("acme.admin");
        await PostAsync("panel/user/mfa/enrollment_period/update", new { seconds = 600 }, panel);
        await PostAsync("panel/user/mfa/settings/everyone", new { settings = new { type = "allowed", factor_types = new[] { "totp" } } }, panel);
        var auth = await PostAsync("user/auth", new { login = "plain@acme.example", password = PagesServer.SeedPassword("plain@acme.example") }, null);
        Assert.That(auth.GetProperty("type").GetString(), Is.EqualTo("enrollment_required"));
        var hash = auth.GetProperty("hash").GetString();

        using (var drawn = await SendAsync("user/auth/totp/qr", new { otpauth_uri = uri }, hash))
        {
            Assert.That(drawn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // Past the period's end, and still within the handle's own lifetime (15 minutes): refused.
        _server.Clock.Advance(TimeSpan.FromMinutes(11));
        var refused = await PostAsync("user/auth/totp/qr", new { otpauth_uri = uri }, hash, HttpStatusCode.BadRequest);
        Assert.That(refused.GetProperty("status").GetProperty("code").GetInt32(), Is.EqualTo(4));
    }

    [Test]
    public async Task Pages_AreServedWithNoStoreAndAContentSecurityPolicy()
    {
        using var start = await _client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.That(start.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(start.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(start.Headers.CacheControl?.NoStore, Is.True);
        Assert.That(string.Join(" ", start.Headers.GetValues("Content-Security-Policy")), Does.Contain("default-src 'none'").And.Contain("script-src 'self'"));
    }

    [Test]
    public void Banner_PrintsThePagesUrl()
    {
        using var writer = new StringWriter();

        SampleBanner.Write(writer, "http://127.0.0.1:5080", "/tmp/outbox", keyMaterialConfigured: false, "in-memory stores");

        Assert.That(writer.ToString(), Does.Contain("Pages (Admin Panel, user sign-in): http://127.0.0.1:5080/"));
    }

    private async Task<string> PanelAsync(string login)
    {
        var answer = await PostAsync("panel/account/auth", new { login, password = PagesServer.SeedPassword(login) }, null);
        return answer.GetProperty("hash").GetString()!;
    }

    private async Task<JsonElement[]> ListAsync(string panel) =>
        [.. (await PostAsync("panel/user/mfa/list", new { }, panel)).GetProperty("list").EnumerateArray()];

    private async Task<JsonElement> PostAsync(string path, object body, string? hash, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await SendAsync(path, body, hash);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private async Task<HttpResponseMessage> SendAsync(string path, object body, string? hash)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        if (hash is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "NVX " + hash);
        }

        return await _client.SendAsync(request);
    }
}
