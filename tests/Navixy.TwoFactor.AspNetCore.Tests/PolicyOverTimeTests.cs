using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.Devices;

namespace Navixy.TwoFactor.AspNetCore.Tests;

/// <summary>
/// The HTTP extensions of policy.md §6 on README's host: <c>remember_device</c> on <c>user/auth/code/verify</c> returning a
/// device token that the next <c>user/auth</c> presents (D1–D2), and <c>panel/user/mfa/audit/list</c> (A1–A3).
/// </summary>
public sealed class PolicyOverTimeTests
{
    private const string AllowEmail = """{"target": {"type": "all"}, "settings": {"type": "allowed", "factor_types": ["email"]}}""";

    [Test]
    [Description("D1 D2 A verify with remember_device returns a device token once; the next user/auth with it gets the full session without a second step.")]
    public async Task D1_VerifyWithRememberDevice_ReturnsAToken_AndTheNextSignInSkipsTheSecondStep()
    {
        await using var app = await StartWithEmailAsync();
        await RememberPeriodAsync(app, TimeSpan.FromDays(30));

        var auth = await app.PostAsync("user/auth", new { login = "fleet@acme.example", password = "fleet-pass" });
        var verify = await app.PostAsync("user/auth/code/verify", new { code = app.Mailer.LastCode(TestApp.Acme, 101), remember_device = true, device_label = "Firefox on Linux" }, auth.Hash);
        var token = verify.Body.GetProperty("device_token").GetString()!;
        var again = await app.PostAsync("user/auth", new { login = "fleet@acme.example", password = "fleet-pass", device_token = token });
        var subUser = await app.PostAsync("user/auth", new { login = "dispatcher@acme.example", password = "dispatcher-pass", device_token = token });
        var wrongPassword = await app.PostAsync("user/auth", new { login = "fleet@acme.example", password = "nope", device_token = token });

        Assert.That(verify.Text, Does.Match("""^\{"success":true,"hash":"[0-9a-f]{32}","device_token":"[A-Za-z0-9_-]{43}","device_expires_at":"[^"]+"\}$"""));
        Assert.That(again.Text, Does.Match("""^\{"success":true,"hash":"[0-9a-f]{32}"\}$"""), "a full session, no second step");
        Assert.That(again.Hash, Is.Not.EqualTo(verify.Hash));
        Assert.That(subUser.Body.GetProperty("type").GetString(), Is.EqualTo("second_factor_required"), "another user's token is ignored");
        Assert.That(wrongPassword.Code, Is.EqualTo(102), "a device token never replaces the password");
        var devices = (await app.App.Services.GetRequiredService<ITwoFactorRememberedDevices>().ListAsync(TestApp.Acme, 101))!;
        Assert.That(devices.Select(d => d.Label), Is.EqualTo(new[] { "Firefox on Linux" }));
    }

    [Test]
    [Description("D2 A settings change for the user voids the token: the next user/auth asks for the second step again.")]
    public async Task D2_SettingsChange_VoidsTheDeviceToken()
    {
        await using var app = await StartWithEmailAsync();
        await RememberPeriodAsync(app, TimeSpan.FromDays(30));
        var auth = await app.PostAsync("user/auth", new { login = "fleet@acme.example", password = "fleet-pass" });
        var verify = await app.PostAsync("user/auth/code/verify", new { code = app.Mailer.LastCode(TestApp.Acme, 101), remember_device = true }, auth.Hash);

        await app.PostRawAsync("panel/user/mfa/settings/update", AllowEmail, app.PanelHash(TestApp.Acme));
        var again = await app.PostAsync("user/auth", new { login = "fleet@acme.example", password = "fleet-pass", device_token = verify.Body.GetProperty("device_token").GetString() });

        // Within the minute after the last code the new start is refused (15); either way no session is granted.
        var askedAgain = again.Success ? again.Body.GetProperty("type").GetString() == "second_factor_required" : again.Code == 15;
        Assert.That(askedAgain, Is.True, again.Text);
    }

    [Test]
    [Description("D1 Without a remember period (the default) a verify with remember_device answers the plain session; a malformed flag is refused.")]
    public async Task D1_RememberingOff_AnswersThePlainSession_AndAMalformedFlagIsRefused()
    {
        await using var app = await StartWithEmailAsync();
        var auth = await app.PostAsync("user/auth", new { login = "fleet@acme.example", password = "fleet-pass" });
        var malformed = await app.PostAsync("user/auth/code/verify", new { code = app.Mailer.LastCode(TestApp.Acme, 101), remember_device = "yes" }, auth.Hash);
        var verify = await app.PostAsync("user/auth/code/verify", new { code = app.Mailer.LastCode(TestApp.Acme, 101), remember_device = true }, auth.Hash);
        var badToken = await app.PostAsync("user/auth", new { login = "fleet@acme.example", password = "fleet-pass", device_token = 42 });

        Assert.That(malformed.Code, Is.EqualTo(5), malformed.Text);
        Assert.That(verify.Text, Does.Match("""^\{"success":true,"hash":"[0-9a-f]{32}"\}$"""));
        Assert.That(badToken.Code, Is.EqualTo(5), badToken.Text);
    }

    [Test]
    [Description("A1 A3 panel/user/mfa/audit/list: the dealer's entries newest first with actor, action and settings before and after; filters and cursor.")]
    public async Task A3_AuditList_NewestFirst_WithFiltersAndCursor()
    {
        await using var app = await TestApp.StartAsync();
        var panel = app.PanelHash(TestApp.Acme);
        var admin = app.Host.PanelSessions.Create(new PanelAccess(TestApp.Acme, PanelUserPermissions.Read | PanelUserPermissions.Update) { Actor = "admin:17" }, TimeSpan.FromHours(1));
        await app.PostRawAsync("panel/user/mfa/settings/update", AllowEmail, panel);
        await app.PostRawAsync("panel/user/mfa/settings/update", """{"target": {"type": "selected", "ids": [101]}, "settings": {"type": "disallowed"}}""", admin);
        await app.PostRawAsync("panel/user/mfa/settings/default/update", """{"settings": {"type": "allowed", "factor_types": ["email"]}}""", admin);
        await app.PostRawAsync("panel/user/mfa/settings/update", AllowEmail, app.PanelHash(TestApp.Beacon));

        var all = await app.PostRawAsync("panel/user/mfa/audit/list", "{}", app.PanelHash(TestApp.Acme, PanelUserPermissions.Read));
        var about101 = await app.PostRawAsync("panel/user/mfa/audit/list", """{"user_id": 101}""", panel);
        var first = await app.PostRawAsync("panel/user/mfa/audit/list", """{"limit": 2}""", panel);
        var second = await app.PostRawAsync("panel/user/mfa/audit/list", JsonSerializer.Serialize(new { limit = 2, cursor = first.Body.GetProperty("next_cursor").GetString() }), panel);
        var future = await app.PostRawAsync("panel/user/mfa/audit/list", """{"from": "2999-01-01T00:00:00Z"}""", panel);

        var entries = all.Body.GetProperty("list").EnumerateArray().ToArray();
        Assert.That(entries.Select(e => e.GetProperty("action").GetString()), Is.EqualTo(new[] { "update_default", "update_selected", "update_all" }), all.Text);
        Assert.That(entries.Select(e => e.GetProperty("actor").GetString()), Is.EqualTo(new[] { "admin:17", "admin:17", "panel:dealer:1" }));
        Assert.That(entries[2].GetProperty("settings_before").GetRawText(), Is.EqualTo("""{"type":"disallowed"}"""));
        Assert.That(entries[2].GetProperty("settings_after").GetRawText(), Is.EqualTo("""{"type":"allowed","factor_types":["email"]}"""));
        Assert.That(entries[2].GetProperty("users_before").GetRawText(), Is.EqualTo("""[{"settings":{"type":"disallowed"},"count":1}]"""), "account 101; demo 105 is not counted");
        Assert.That(entries[1].GetProperty("user_ids").GetRawText(), Is.EqualTo("[101]"));
        Assert.That(all.Body.GetProperty("next_cursor").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(about101.Body.GetProperty("list").GetArrayLength(), Is.EqualTo(1), "the selected update names 101");
        Assert.That(first.Body.GetProperty("list").GetArrayLength(), Is.EqualTo(2));
        Assert.That(second.Body.GetProperty("list").EnumerateArray().Select(e => e.GetProperty("action").GetString()), Is.EqualTo(new[] { "update_all" }));
        Assert.That(future.Body.GetProperty("list").GetArrayLength(), Is.Zero);
    }

    [Test]
    [Description("A3 panel/user/mfa/audit/list refuses what it must: no session, a bad cursor or limit, a malformed time; another dealer sees only its own.")]
    public async Task A3_AuditList_Refusals()
    {
        await using var app = await TestApp.StartAsync();
        var panel = app.PanelHash(TestApp.Acme);
        await app.PostRawAsync("panel/user/mfa/settings/update", AllowEmail, panel);

        var noSession = await app.PostRawAsync("panel/user/mfa/audit/list", "{}", new string('0', 32));
        var badCursor = await app.PostRawAsync("panel/user/mfa/audit/list", """{"cursor": "nonsense"}""", panel);
        var badLimit = await app.PostRawAsync("panel/user/mfa/audit/list", """{"limit": 0}""", panel);
        var badTime = await app.PostRawAsync("panel/user/mfa/audit/list", """{"from": "yesterday"}""", panel);
        var emptyRange = await app.PostRawAsync("panel/user/mfa/audit/list", """{"from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"}""", panel);
        var otherDealer = await app.PostRawAsync("panel/user/mfa/audit/list", "{}", app.PanelHash(TestApp.Beacon));
        var user = await app.PostAsync("user/auth", new { login = "north@beacon.example", password = "north-pass" });
        var userHash = await app.PostRawAsync("panel/user/mfa/audit/list", "{}", user.Hash);

        Assert.That(noSession.Code, Is.EqualTo(4));
        Assert.That((badCursor.Code, badLimit.Code, badTime.Code, emptyRange.Code), Is.EqualTo((7, 7, 7, 7)));
        Assert.That(badCursor.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(otherDealer.Body.GetProperty("list").GetArrayLength(), Is.Zero, otherDealer.Text);
        Assert.That(userHash.Code, Is.EqualTo(4), "a user session is not a panel session");
    }

    private static async Task<TestApp> StartWithEmailAsync()
    {
        var app = await TestApp.StartAsync();
        await app.PostRawAsync("panel/user/mfa/settings/update", AllowEmail, app.PanelHash(TestApp.Acme));
        return app;
    }

    private static async Task RememberPeriodAsync(TestApp app, TimeSpan period) =>
        Assert.That(await app.App.Services.GetRequiredService<ITwoFactorRememberedDevices>().SetRememberPeriodAsync(TestApp.Acme, period), Is.True);
}
