using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.AspNetCore.Hosting;
using OtpNet;

namespace Navixy.TwoFactor.AspNetCore.Tests;

/// <summary>
/// The enrolment period (policy.md G1) over HTTP on README's host: <c>user/auth</c> answers <c>enrollment_required</c> with
/// <c>enroll_until</c> and a handle that admits only <c>user/auth/totp/begin</c> and <c>/confirm</c>; after T the existing
/// enrolment-required error; and the Panel API extension <c>panel/user/mfa/enrollment_period/{read,update}</c>.
/// </summary>
public sealed class EnrollmentPeriodTests
{
    private const string TotpOnly = """{"target": {"type": "all"}, "settings": {"type": "allowed", "factor_types": ["totp"]}}""";
    private const string Fleet = """{"login": "fleet@acme.example", "password": "fleet-pass"}""";
    private static readonly DateTimeOffset Epoch = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Test]
    [Description("G1 Inside the period user/auth answers enrollment_required with enroll_until and a handle good only for totp/begin and /confirm; once confirmed the handle ends and the next sign-in runs the authenticator.")]
    public async Task G1_InsideThePeriod_TheHandleEnrolsOnly_ThenTheNextSignInRunsTheAuthenticator()
    {
        var (app, clock) = await StartAsync();
        await using var _ = app;
        var panel = app.PanelHash(TestApp.Acme);
        await app.PostRawAsync("panel/user/mfa/settings/update", TotpOnly, panel);
        Assert.That((await app.PostRawAsync("panel/user/mfa/enrollment_period/update", """{"seconds": 604800}""", panel)).Success, Is.True);

        var auth = await app.PostRawAsync("user/auth", Fleet);
        var again = await app.PostRawAsync("user/auth", Fleet);
        var handle = auth.Hash;
        var refused = new Dictionary<string, int>();
        foreach (var path in new[] { "user/auth/code/verify", "user/auth/code/resend", "user/auth/factor/switch", "user/auth/totp/status", "user/auth/step_up/start", "user/auth/totp/disable", "user/auth/recovery_codes/regenerate" })
        {
            refused[path] = (await app.PostRawAsync(path, """{"code": "123456", "factor_type": "totp", "step_up_hash": "00000000000000000000000000000000"}""", handle)).Code;
        }

        var begun = await app.PostRawAsync("user/auth/totp/begin", "{}", handle);
        var secret = Base32Encoding.ToBytes(begun.Body.GetProperty("secret").GetString()!);
        var confirmed = await app.PostAsync("user/auth/totp/confirm", new { code = Code(secret, clock) }, handle);
        var afterConfirm = await app.PostRawAsync("user/auth/totp/begin", "{}", handle);
        clock.Advance(TimeSpan.FromSeconds(30));
        var signIn = await app.PostRawAsync("user/auth", Fleet);
        var verified = await app.PostAsync("user/auth/code/verify", new { code = Code(secret, clock) }, signIn.Hash);

        Assert.That(auth.Text, Does.Match("""^\{"success":true,"type":"enrollment_required","factor_type":"totp","enroll_until":"2026-03-08T08:00:00\+00:00","hash":"[0-9a-f]{32}"\}$"""));
        Assert.That(again.Body.GetProperty("enroll_until").GetString(), Is.EqualTo("2026-03-08T08:00:00+00:00"), "the same T");
        Assert.That(refused.Values, Is.All.EqualTo(4), string.Join(", ", refused));
        Assert.That(begun.Success, Is.True, begun.Text);
        Assert.That(confirmed.Body.GetProperty("recovery_codes").GetArrayLength(), Is.EqualTo(10), confirmed.Text);
        Assert.That(afterConfirm.Code, Is.EqualTo(4), "the handle ended with the confirmation");
        Assert.That(signIn.Text, Does.Match("""^\{"success":true,"type":"second_factor_required","factor_type":"totp","hash":"[0-9a-f]{32}"\}$"""));
        Assert.That(verified.Text, Does.Match("""^\{"success":true,"hash":"[0-9a-f]{32}"\}$"""), "a full session after a pass");
    }

    [Test]
    [Description("G1 After T user/auth answers the existing enrolment-required error (13) naming the end, and an enrolment handle of the period stops working; without a period, 13 as before.")]
    public async Task G1_AfterT_NoOneIsLetIn()
    {
        var (app, clock) = await StartAsync();
        await using var _ = app;
        var panel = app.PanelHash(TestApp.Acme);
        await app.PostRawAsync("panel/user/mfa/settings/update", TotpOnly, panel);
        var withoutPeriod = await app.PostRawAsync("user/auth", Fleet);
        await app.PostRawAsync("panel/user/mfa/enrollment_period/update", """{"seconds": 600}""", panel);
        var handle = (await app.PostRawAsync("user/auth", Fleet)).Hash;

        clock.Advance(TimeSpan.FromMinutes(10)); // within the handle's own lifetime (15 minutes): the period ends first
        var late = await app.PostRawAsync("user/auth/totp/begin", "{}", handle);
        var afterT = await app.PostRawAsync("user/auth", Fleet);

        Assert.That((withoutPeriod.Code, withoutPeriod.Success), Is.EqualTo((13, false)), withoutPeriod.Text);
        Assert.That(withoutPeriod.Description, Does.Contain("has none enrolled"));
        Assert.That(late.Code, Is.EqualTo(13), late.Text);
        Assert.That(late.Description, Does.Contain("enrolment period ended at 2026-03-01T08:10:00Z"));
        Assert.That(afterT.Code, Is.EqualTo(13), afterT.Text);
        Assert.That(afterT.Description, Does.Contain("enrolment period ended at 2026-03-01T08:10:00Z"));
        Assert.That((await app.PostRawAsync("user/auth/totp/confirm", """{"code": "123456"}""", handle)).Code, Is.EqualTo(4), "the ended handle is gone");
    }

    [Test]
    [Description("G1 A1 panel/user/mfa/enrollment_period/read and /update: seconds from 0 to 90 days, bounds and kinds checked Navixy-style, permissions, per dealer, and one audit entry per accepted update.")]
    public async Task G1_PanelEnrollmentPeriod_ReadUpdateBoundsPermissionsAndAudit()
    {
        var (app, _) = await StartAsync();
        await using var __ = app;
        var panel = app.PanelHash(TestApp.Acme);
        var readOnly = app.PanelHash(TestApp.Acme, PanelUserPermissions.Read);

        var initial = await app.PostRawAsync("panel/user/mfa/enrollment_period/read", "{}", readOnly);
        var updated = await app.PostRawAsync("panel/user/mfa/enrollment_period/update", """{"seconds": 7776000}""", panel);
        var read = await app.PostRawAsync("panel/user/mfa/enrollment_period/read", "{}", panel);
        var tooLong = await app.PostRawAsync("panel/user/mfa/enrollment_period/update", """{"seconds": 7776001}""", panel);
        var negative = await app.PostRawAsync("panel/user/mfa/enrollment_period/update", """{"seconds": -1}""", panel);
        var fraction = await app.PostRawAsync("panel/user/mfa/enrollment_period/update", """{"seconds": 1.5}""", panel);
        var text = await app.PostRawAsync("panel/user/mfa/enrollment_period/update", """{"seconds": "week"}""", panel);
        var missing = await app.PostRawAsync("panel/user/mfa/enrollment_period/update", "{}", panel);
        var noPermission = await app.PostRawAsync("panel/user/mfa/enrollment_period/update", """{"seconds": 60}""", readOnly);
        var user = await app.PostRawAsync("user/auth", """{"login": "north@beacon.example", "password": "north-pass"}""");
        var userHash = await app.PostRawAsync("panel/user/mfa/enrollment_period/read", "{}", user.Hash);
        var otherDealer = await app.PostRawAsync("panel/user/mfa/enrollment_period/read", "{}", app.PanelHash(TestApp.Beacon));
        var trail = await app.PostRawAsync("panel/user/mfa/audit/list", "{}", panel);

        Assert.That(initial.Value, Is.EqualTo("""{"seconds":0,"max_seconds":7776000}"""));
        Assert.That(updated.Text, Is.EqualTo("""{"success":true}"""));
        Assert.That(read.Value, Is.EqualTo("""{"seconds":7776000,"max_seconds":7776000}"""));
        Assert.That((tooLong.Code, negative.Code, fraction.Code, text.Code, missing.Code), Is.EqualTo((7, 7, 7, 5, 7)));
        Assert.That(tooLong.Description, Does.Contain("between 0 (no enrolment period) and 7776000 (90 days)"));
        Assert.That(noPermission.Code, Is.EqualTo(13));
        Assert.That(userHash.Code, Is.EqualTo(4), "a user session is not a panel session");
        Assert.That(otherDealer.Value, Is.EqualTo("""{"seconds":0,"max_seconds":7776000}"""), "per dealer");
        var entries = trail.Body.GetProperty("list").EnumerateArray().Select(e => (e.GetProperty("action").GetString(), e.GetProperty("detail").GetString())).ToArray();
        Assert.That(entries, Is.EqualTo(new[] { ("enrollment_period_changed", "90.00:00:00") }), trail.Text);
    }

    private static async Task<(TestApp App, FakeTimeProvider Clock)> StartAsync()
    {
        var clock = new FakeTimeProvider(Epoch);
        var app = await TestApp.StartAsync(before: b => b.Services.AddSingleton<TimeProvider>(clock));
        return (app, clock);
    }

    private static string Code(byte[] secret, FakeTimeProvider clock) => new OtpNet.Totp(secret).ComputeTotp(clock.GetUtcNow().UtcDateTime);
}
