using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.AspNetCore.Hosting;

namespace Navixy.TwoFactor.AspNetCore.Tests;

/// <summary>
/// The Panel API's scheduled settings changes (policy.md S11: <c>effective_from</c> on <c>panel/user/mfa/settings/update</c>
/// and <c>/default/update</c>, <c>settings/scheduled/list</c> and <c>/cancel</c>) and the remember period
/// (<c>panel/user/mfa/remember_period/read</c> and <c>/update</c>, D1) on README's host, on a fake clock: what they answer,
/// what the audit trail then shows (A1), and that bad input is a Navixy error, never a 500, and schedules nothing.
/// </summary>
public sealed class PanelScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Test]
    [Description("S11 An update with a later effective_from answers the scheduled change, is listed, changes nothing before its moment and applies from it; a past moment applies at once.")]
    public async Task S11_UpdateWithEffectiveFrom_IsScheduledListed_AndAppliesFromItsMoment()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await StartAsync(clock);
        var panel = app.PanelHash(TestApp.Acme);

        var all = await app.PostRawAsync("panel/user/mfa/settings/update", """{"target": {"type": "all"}, "settings": {"type": "allowed", "factor_types": ["email"]}, "effective_from": "2026-03-01T10:00:00Z"}""", panel);
        var selected = await app.PostRawAsync("panel/user/mfa/settings/update", """{"target": {"type": "selected", "ids": [101]}, "settings": {"type": "disallowed"}, "effective_from": "2026-03-01T14:30:00+02:00"}""", panel);
        var defaultUpdate = await app.PostRawAsync("panel/user/mfa/settings/default/update", """{"settings": {"type": "allowed", "factor_types": ["email"]}, "effective_from": "2026-03-01T11:00:00.5Z"}""", panel);
        var pastMoment = await app.PostRawAsync("panel/user/mfa/settings/update", """{"target": {"type": "selected", "ids": [101]}, "settings": {"type": "allowed", "factor_types": ["totp"]}, "effective_from": "2026-03-01T08:00:00Z"}""", panel);
        var list = await app.PostRawAsync("panel/user/mfa/settings/scheduled/list", "{}", app.PanelHash(TestApp.Acme, PanelUserPermissions.Read));
        var otherDealer = await app.PostRawAsync("panel/user/mfa/settings/scheduled/list", "{}", app.PanelHash(TestApp.Beacon));

        Assert.That(all.Text, Does.Match("""^\{"success":true,"scheduled":\{"id":[0-9]+,"effective_from":"2026-03-01T10:00:00\+00:00","action":"update_all","settings":\{"type":"allowed","factor_types":\["email"\]\}\}\}$"""));
        Assert.That(selected.Body.GetProperty("scheduled").GetProperty("effective_from").GetString(), Is.EqualTo("2026-03-01T12:30:00+00:00"), "answered in UTC");
        Assert.That(selected.Body.GetProperty("scheduled").GetProperty("user_ids").GetRawText(), Is.EqualTo("[101]"));
        Assert.That(defaultUpdate.Body.GetProperty("scheduled").GetProperty("action").GetString(), Is.EqualTo("update_default"));
        Assert.That(pastMoment.Text, Is.EqualTo("""{"success":true}"""), "a moment that has come applies at once, as Navixy's update");
        Assert.That((await ReadAsync(app, 101)), Is.EqualTo("""{"type":"allowed","factor_types":["totp"]}"""));
        Assert.That(list.Body.GetProperty("list").EnumerateArray().Select(c => c.GetProperty("action").GetString()), Is.EqualTo(new[] { "update_all", "update_default", "update_selected" }), "by moment");
        Assert.That(list.Body.GetProperty("list")[0].GetProperty("id").GetInt64(), Is.EqualTo(all.Body.GetProperty("scheduled").GetProperty("id").GetInt64()));
        Assert.That(otherDealer.Text, Is.EqualTo("""{"success":true,"list":[]}"""));

        clock.Advance(TimeSpan.FromHours(1));
        Assert.That(await ReadAsync(app, 101), Is.EqualTo("""{"type":"allowed","factor_types":["email"]}"""), "the update of all from 10:00, after the update of 101 at 09:00");
        var auth = await app.PostAsync("user/auth", new { login = "fleet@acme.example", password = "fleet-pass" });
        Assert.That(auth.Body.GetProperty("type").GetString(), Is.EqualTo("second_factor_required"), auth.Text);
        clock.Advance(TimeSpan.FromHours(3));
        Assert.That(await ReadAsync(app, 101), Is.EqualTo("""{"type":"disallowed"}"""));
        Assert.That((await app.PostRawAsync("panel/user/mfa/settings/default/read", "{}", app.PanelHash(TestApp.Acme))).Value, Is.EqualTo("""{"type":"allowed","factor_types":["email"]}"""));
        Assert.That((await app.PostRawAsync("panel/user/mfa/settings/scheduled/list", "{}", app.PanelHash(TestApp.Acme))).Text, Is.EqualTo("""{"success":true,"list":[]}"""));
    }

    [Test]
    [Description("S11 A1 A cancelled change never applies; the audit list shows the scheduling (with effective_from) and the cancellation (with cancelled_action), no entry when a change comes due; an unknown or another dealer's id is 201.")]
    public async Task S11_Cancel_TheChangeNeverApplies_AndTheAuditListShowsSchedulingAndCancelling()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await StartAsync(clock);
        var panel = app.PanelHash(TestApp.Acme);
        var admin = app.Host.PanelSessions.Create(new PanelAccess(TestApp.Acme, PanelUserPermissions.Read | PanelUserPermissions.Update) { Actor = "admin:17" }, TimeSpan.FromDays(1));
        var cancelled = await app.PostRawAsync("panel/user/mfa/settings/update", """{"target": {"type": "all"}, "settings": {"type": "allowed", "factor_types": ["email"]}, "effective_from": "2026-03-02T00:00:00Z"}""", panel);
        await app.PostRawAsync("panel/user/mfa/settings/default/update", """{"settings": {"type": "allowed", "factor_types": ["email"]}, "effective_from": "2026-03-01T12:00:00Z"}""", panel);
        var id = cancelled.Body.GetProperty("scheduled").GetProperty("id").GetInt64();

        var otherDealers = await app.PostAsync("panel/user/mfa/settings/scheduled/cancel", new { id }, app.PanelHash(TestApp.Beacon));
        var cancel = await app.PostAsync("panel/user/mfa/settings/scheduled/cancel", new { id }, admin);
        var again = await app.PostAsync("panel/user/mfa/settings/scheduled/cancel", new { id }, admin);
        clock.Advance(TimeSpan.FromDays(2));
        var audit = await app.PostRawAsync("panel/user/mfa/audit/list", "{}", app.PanelHash(TestApp.Acme));

        Assert.That(otherDealers.Code, Is.EqualTo(201), otherDealers.Text);
        Assert.That(cancel.Text, Is.EqualTo("""{"success":true}"""));
        Assert.That((again.Code, again.Status), Is.EqualTo((201, HttpStatusCode.BadRequest)));
        Assert.That(again.Description, Does.Contain($"scheduled change {id}"));
        Assert.That(await ReadAsync(app, 101), Is.EqualTo("""{"type":"disallowed"}"""), "the cancelled update never applied");
        var entries = audit.Body.GetProperty("list").EnumerateArray().ToArray();
        Assert.That(entries.Select(e => e.GetProperty("action").GetString()), Is.EqualTo(new[] { "scheduled_change_cancelled", "update_default", "update_all" }), audit.Text);
        Assert.That(entries[0].GetProperty("actor").GetString(), Is.EqualTo("admin:17"));
        Assert.That(entries[0].GetProperty("cancelled_action").GetString(), Is.EqualTo("update_all"));
        Assert.That(entries[0].GetProperty("effective_from").GetString(), Is.EqualTo("2026-03-02T00:00:00+00:00"));
        Assert.That(entries[0].GetProperty("detail").GetString(), Is.EqualTo(id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(entries[1].GetProperty("effective_from").GetString(), Is.EqualTo("2026-03-01T12:00:00+00:00"));
        Assert.That(entries[1].GetProperty("settings_before").GetRawText(), Is.EqualTo("""{"type":"disallowed"}"""));
        Assert.That((entries[2].GetProperty("version").GetInt64(), entries[2].TryGetProperty("cancelled_action", out _)), Is.EqualTo((id, false)));
    }

    [TestCase("42", 5)]
    [TestCase("true", 5)]
    [TestCase("{}", 5)]
    [TestCase("[\"2026-03-02T00:00:00Z\"]", 5)]
    [TestCase("\"tomorrow\"", 7)]
    [TestCase("\"\"", 7)]
    [TestCase("\"2026-03-02T00:00:00\"", 7)]
    [TestCase("\"2026-03-02\"", 7)]
    [TestCase("\"2026-03-02 00:00:00Z\"", 7)]
    [TestCase("\"2026-13-02T00:00:00Z\"", 7)]
    [TestCase("\"2026-02-30T00:00:00Z\"", 7)]
    [TestCase("\"2026-03-02T00:00:00+25:00\"", 7)]
    [TestCase("\"2026-03-02T00:00:00Z\\n\"", 7)]
    [TestCase("\"\u0662\u0660\u0662\u0666-03-02T00:00:00Z\"", 7)]
    [TestCase("\"2000-01-01T00:00:00Z\"", 7)]
    [TestCase("\"0001-01-01T00:00:00Z\"", 7)]
    [TestCase("\"2027-03-03T00:00:00Z\"", 7)]
    [TestCase("\"9999-12-31T23:59:59Z\"", 7)]
    [TestCase("\"\\uD800\"", 5)]
    [Description("S11 A malformed, absurd or out-of-range effective_from is error 5 or 7 on both updates, never a 500, and schedules and changes nothing.")]
    public async Task S11_BadEffectiveFrom_IsANavixyError_AndSchedulesNothing(string value, int code)
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await StartAsync(clock);
        var panel = app.PanelHash(TestApp.Acme);

        var update = await app.PostRawAsync("panel/user/mfa/settings/update", $$"""{"target": {"type": "all"}, "settings": {"type": "allowed", "factor_types": ["email"]}, "effective_from": {{value}}}""", panel);
        var defaultUpdate = await app.PostRawAsync("panel/user/mfa/settings/default/update", $$"""{"settings": {"type": "allowed", "factor_types": ["email"]}, "effective_from": {{value}}}""", panel);

        Assert.That((update.Code, defaultUpdate.Code), Is.EqualTo((code, code)), update.Text);
        Assert.That((update.Status, defaultUpdate.Status), Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest)));
        Assert.That(update.Description, Does.Contain("effective_from"));
        await AssertNothingChangedAsync(app);
    }

    [Test]
    [Description("S11 S8 A rejected update with a valid effective_from (unknown, another dealer's or a sub-user's id; bad settings; a huge value) schedules nothing; 201 or 7, never a 500.")]
    public async Task S11_RejectedUpdateWithEffectiveFrom_SchedulesNothing()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await StartAsync(clock);
        var panel = app.PanelHash(TestApp.Acme);
        const string Later = "\"effective_from\": \"2026-03-02T00:00:00Z\"";

        var unknown = await app.PostRawAsync("panel/user/mfa/settings/update", $$"""{"target": {"type": "selected", "ids": [101, 999]}, "settings": {"type": "disallowed"}, {{Later}}}""", panel);
        var subUser = await app.PostRawAsync("panel/user/mfa/settings/update", $$"""{"target": {"type": "selected", "ids": [102]}, "settings": {"type": "disallowed"}, {{Later}}}""", panel);
        var badSettings = await app.PostRawAsync("panel/user/mfa/settings/update", $$"""{"target": {"type": "all"}, "settings": {"type": "allowed", "factor_types": ["sms"]}, {{Later}}}""", panel);
        var noTarget = await app.PostRawAsync("panel/user/mfa/settings/update", $$"""{"settings": {"type": "disallowed"}, {{Later}}}""", panel);
        var huge = await app.PostRawAsync("panel/user/mfa/settings/update", $$"""{"target": {"type": "all"}, "settings": {"type": "disallowed"}, "effective_from": "{{new string('9', 100_000)}}"}""", panel);

        Assert.That((unknown.Code, subUser.Code, badSettings.Code, noTarget.Code, huge.Code), Is.EqualTo((201, 201, 7, 7, 7)), unknown.Text);
        await AssertNothingChangedAsync(app);
    }

    [TestCase("{\"id\": \"12\"}", 5)]
    [TestCase("{\"id\": true}", 5)]
    [TestCase("{}", 7)]
    [TestCase("{\"id\": null}", 7)]
    [TestCase("{\"id\": 0}", 7)]
    [TestCase("{\"id\": -3}", 7)]
    [TestCase("{\"id\": 1.5}", 7)]
    [TestCase("{\"id\": 1e30}", 7)]
    [TestCase("{\"id\": 99999999999999999999999}", 7)]
    [TestCase("{\"id\": 424242}", 201)]
    [TestCase("[]", 5)]
    [Description("S11 settings/scheduled/cancel with a bad or unknown id is a Navixy error, never a 500, and cancels nothing.")]
    public async Task S11_CancelWithABadOrUnknownId_IsANavixyError(string body, int code)
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await StartAsync(clock);
        var panel = app.PanelHash(TestApp.Acme);
        await app.PostRawAsync("panel/user/mfa/settings/update", """{"target": {"type": "all"}, "settings": {"type": "disallowed"}, "effective_from": "2026-03-02T00:00:00Z"}""", panel);

        var cancel = await app.PostRawAsync("panel/user/mfa/settings/scheduled/cancel", body, panel);
        var list = await app.PostRawAsync("panel/user/mfa/settings/scheduled/list", "{}", panel);

        Assert.That(cancel.Code, Is.EqualTo(code), cancel.Text);
        Assert.That((int)cancel.Status, Is.LessThan(500));
        Assert.That(list.Body.GetProperty("list").GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    [Description("S11 D1 Same permission model as the other panel calls: a viewer (users: read) lists and reads but cannot schedule, cancel or set the period (13); no panel session is 4.")]
    public async Task S11_D1_Permissions_ViewerReadsOnly()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await StartAsync(clock);
        var scheduled = await app.PostRawAsync("panel/user/mfa/settings/update", """{"target": {"type": "all"}, "settings": {"type": "disallowed"}, "effective_from": "2026-03-02T00:00:00Z"}""", app.PanelHash(TestApp.Acme));
        var id = scheduled.Body.GetProperty("scheduled").GetProperty("id").GetInt64();
        var viewer = app.PanelHash(TestApp.Acme, PanelUserPermissions.Read);
        var user = await app.PostAsync("user/auth", new { login = "fleet@acme.example", password = "fleet-pass" });

        var list = await app.PostRawAsync("panel/user/mfa/settings/scheduled/list", "{}", viewer);
        var period = await app.PostRawAsync("panel/user/mfa/remember_period/read", "{}", viewer);
        var schedule = await app.PostRawAsync("panel/user/mfa/settings/default/update", """{"settings": {"type": "disallowed"}, "effective_from": "2026-03-02T00:00:00Z"}""", viewer);
        var cancel = await app.PostAsync("panel/user/mfa/settings/scheduled/cancel", new { id }, viewer);
        var setPeriod = await app.PostAsync("panel/user/mfa/remember_period/update", new { seconds = 3600 }, viewer);
        var noSession = await app.PostRawAsync("panel/user/mfa/settings/scheduled/list", "{}");
        var userSession = await app.PostRawAsync("panel/user/mfa/remember_period/read", "{}", user.Hash);

        Assert.That((list.Success, period.Success), Is.EqualTo((true, true)));
        Assert.That((schedule.Code, cancel.Code, setPeriod.Code), Is.EqualTo((13, 13, 13)));
        Assert.That(cancel.Description, Does.Contain("users: update"));
        Assert.That((noSession.Code, userSession.Code), Is.EqualTo((4, 4)));
        Assert.That((await app.PostRawAsync("panel/user/mfa/settings/scheduled/list", "{}", viewer)).Body.GetProperty("list").GetArrayLength(), Is.EqualTo(1), "nothing cancelled or added");
        Assert.That((await app.PostRawAsync("panel/user/mfa/remember_period/read", "{}", viewer)).Text, Is.EqualTo("""{"success":true,"value":{"seconds":0,"max_seconds":7776000}}"""));
    }

    [Test]
    [Description("D1 A1 remember_period/read and /update: seconds, 0 (off, the default) to 90 days; per dealer; audited; a verify with remember_device then returns a token valid that long.")]
    public async Task D1_RememberPeriod_ReadAndUpdate_PerDealerAndAudited()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await StartAsync(clock);
        var panel = app.PanelHash(TestApp.Acme);

        var before = await app.PostRawAsync("panel/user/mfa/remember_period/read", "{}", panel);
        var update = await app.PostAsync("panel/user/mfa/remember_period/update", new { seconds = 30 * 86400 }, panel);
        var after = await app.PostRawAsync("panel/user/mfa/remember_period/read", "{}", panel);
        var beacon = await app.PostRawAsync("panel/user/mfa/remember_period/read", "{}", app.PanelHash(TestApp.Beacon));
        var max = await app.PostAsync("panel/user/mfa/remember_period/update", new { seconds = 90 * 86400 }, app.PanelHash(TestApp.Beacon));
        var audit = await app.PostRawAsync("panel/user/mfa/audit/list", "{}", panel);
        await app.PostRawAsync("panel/user/mfa/settings/update", """{"target": {"type": "all"}, "settings": {"type": "allowed", "factor_types": ["email"]}}""", panel);
        var auth = await app.PostAsync("user/auth", new { login = "fleet@acme.example", password = "fleet-pass" });
        var verify = await app.PostAsync("user/auth/code/verify", new { code = app.Mailer.LastCode(TestApp.Acme, 101), remember_device = true }, auth.Hash);

        Assert.That(before.Text, Is.EqualTo("""{"success":true,"value":{"seconds":0,"max_seconds":7776000}}"""));
        Assert.That(update.Text, Is.EqualTo("""{"success":true}"""));
        Assert.That(after.Text, Is.EqualTo("""{"success":true,"value":{"seconds":2592000,"max_seconds":7776000}}"""));
        Assert.That(beacon.Text, Is.EqualTo("""{"success":true,"value":{"seconds":0,"max_seconds":7776000}}"""), "another dealer's period is its own");
        Assert.That(max.Success, Is.True, max.Text);
        Assert.That(audit.Body.GetProperty("list")[0].GetProperty("action").GetString(), Is.EqualTo("remember_period_changed"));
        Assert.That(verify.Body.GetProperty("device_expires_at").GetDateTimeOffset(), Is.EqualTo(Start.AddDays(30)));
    }

    [TestCase("{}", 7)]
    [TestCase("{\"seconds\": null}", 7)]
    [TestCase("{\"seconds\": \"3600\"}", 5)]
    [TestCase("{\"seconds\": [3600]}", 5)]
    [TestCase("{\"seconds\": -1}", 7)]
    [TestCase("{\"seconds\": 7776001}", 7)]
    [TestCase("{\"seconds\": 1.5}", 7)]
    [TestCase("{\"seconds\": 1e300}", 7)]
    [TestCase("{\"seconds\": 99999999999999999999999}", 7)]
    [TestCase("{\"seconds\": -99999999999999999999999}", 7)]
    [Description("D1 remember_period/update with a wrong type, out of range or absurd value is error 5 or 7, never a 500, and changes nothing.")]
    public async Task D1_RememberPeriodUpdate_BadValue_IsANavixyError(string body, int code)
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await StartAsync(clock);
        var panel = app.PanelHash(TestApp.Acme);

        var update = await app.PostRawAsync("panel/user/mfa/remember_period/update", body, panel);

        Assert.That(update.Code, Is.EqualTo(code), update.Text);
        Assert.That(update.Description, Does.Contain("seconds"));
        Assert.That((await app.PostRawAsync("panel/user/mfa/remember_period/read", "{}", panel)).Text, Is.EqualTo("""{"success":true,"value":{"seconds":0,"max_seconds":7776000}}"""));
        Assert.That((await app.PostRawAsync("panel/user/mfa/audit/list", "{}", panel)).Body.GetProperty("list").GetArrayLength(), Is.Zero);
    }

    [Test]
    [Description("OpenAPI describes the new calls like the others: the scheduling and remember-period paths and effective_from.")]
    public async Task OpenApi_DescribesTheScheduleAndRememberPeriodCalls()
    {
        await using var app = await TestApp.StartAsync(before: b => b.Services.AddOpenApi(), after: a => a.MapOpenApi());

        using var response = await app.Client.GetAsync("openapi/v1.json");
        var document = await response.Content.ReadAsStringAsync();

        foreach (var path in new[] { "/panel/user/mfa/settings/scheduled/list", "/panel/user/mfa/settings/scheduled/cancel", "/panel/user/mfa/remember_period/read", "/panel/user/mfa/remember_period/update" })
        {
            Assert.That(document, Does.Contain("\"" + path + "\""), path);
        }

        Assert.That(document, Does.Contain("effective_from").And.Contain("navixy:panel/user/mfa/settings/scheduled/cancel"));
    }

    private static Task<TestApp> StartAsync(FakeTimeProvider clock) =>
        TestApp.StartAsync(before: b => b.Services.AddSingleton<TimeProvider>(clock));

    private static async Task<string> ReadAsync(TestApp app, long userId) =>
        (await app.PostAsync("panel/user/mfa/settings/read", new { user_id = userId }, app.PanelHash(TestApp.Acme))).Value;

    /// <summary>Nothing scheduled, no setting changed, no audit entry.</summary>
    private static async Task AssertNothingChangedAsync(TestApp app)
    {
        var panel = app.PanelHash(TestApp.Acme);
        Assert.That((await app.PostRawAsync("panel/user/mfa/settings/scheduled/list", "{}", panel)).Text, Is.EqualTo("""{"success":true,"list":[]}"""));
        Assert.That(await ReadAsync(app, 101), Is.EqualTo("""{"type":"disallowed"}"""));
        Assert.That((await app.PostRawAsync("panel/user/mfa/settings/default/read", "{}", panel)).Value, Is.EqualTo("""{"type":"disallowed"}"""));
        Assert.That((await app.PostRawAsync("panel/user/mfa/audit/list", "{}", panel)).Body.GetProperty("list").GetArrayLength(), Is.Zero);
    }
}
