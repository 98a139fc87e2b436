using Microsoft.Extensions.Time.Testing;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.AspNetCore.StepUp;
using Navixy.TwoFactor.AspNetCore.Wire;

namespace Navixy.TwoFactor.AspNetCore.Tests;

/// <summary>Every response is a Navixy-style error where the app can answer (issue 11, item 4).</summary>
public class WireTests
{
    private TestApp _app = null!;
    private string _panel = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _app = await TestApp.StartAsync();
        _panel = _app.PanelHash(TestApp.Acme);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _app.DisposeAsync();

    [Test]
    public async Task UnknownAction_Answers404WithCode111()
    {
        var answer = await _app.PostRawAsync("user/auth/nothing", "{}");

        Assert.That((answer.Status, answer.Code), Is.EqualTo((HttpStatusCode.NotFound, 111)), answer.Text);
    }

    [Test]
    public async Task WrongMethod_Answers405WithCode112AndAllow()
    {
        using var response = await _app.Client.GetAsync("user/auth");
        var answer = await Answer.OfAsync(response);

        Assert.That((answer.Status, answer.Code), Is.EqualTo((HttpStatusCode.MethodNotAllowed, 112)), answer.Text);
    }

    [Test]
    public async Task BodyOverTheLimit_Answers413NamingTheLimit()
    {
        var answer = await _app.PostRawAsync("user/auth", "{\"login\": \"" + new string('a', (int)TwoFactorHttpOptions.DefaultMaxBodyBytes) + "\"}");

        Assert.That((answer.Status, answer.Code), Is.EqualTo((HttpStatusCode.RequestEntityTooLarge, 5)));
        Assert.That(answer.Description, Does.Contain("1048576 bytes"));
    }

    [TestCase("{")]
    [TestCase("""{"login": "a", "password": "b",}""")]
    public async Task MalformedJson_Answers5(string body) =>
        Assert.That((await _app.PostRawAsync("user/auth", body)).Code, Is.EqualTo(5));

    [TestCase("""{"login": "a", "login": "b", "password": "c"}""", "login")]
    [TestCase("""{"target": {"type": "all", "type": "selected"}, "settings": {"type": "disallowed"}}""", "target.type")]
    public async Task DuplicateKey_IsRefusedNamingIt(string body, string path)
    {
        var answer = await _app.PostRawAsync(body.Contains("target", StringComparison.Ordinal) ? "panel/user/mfa/settings/update" : "user/auth", body, _panel);

        Assert.That(answer.Code, Is.EqualTo(5), answer.Text);
        Assert.That(answer.Description, Does.Contain(path + " is given more than once"));
    }

    [Test]
    public async Task OutOfRangeId_NamesTheBound_InTheSameWordsOnReadAndUpdate()
    {
        var read = await _app.PostRawAsync("panel/user/mfa/settings/read", """{"user_id": 9223372036854775808}""", _panel);
        var update = await _app.PostRawAsync("panel/user/mfa/settings/update", """{"target": {"type": "selected", "ids": [9223372036854775808]}, "settings": {"type": "disallowed"}}""", _panel);

        Assert.That(read.Description, Is.EqualTo("Invalid parameters: user_id must be an integer at most 9223372036854775807."));
        Assert.That(update.Description, Is.EqualTo("Invalid parameters: target.ids[0] must be an integer at most 9223372036854775807."));
    }

    [Test]
    public async Task NonPositiveId_SameWordsOnReadAndUpdate()
    {
        var read = await _app.PostRawAsync("panel/user/mfa/settings/read", """{"user_id": 0}""", _panel);
        var update = await _app.PostRawAsync("panel/user/mfa/settings/update", """{"target": {"type": "selected", "ids": [0]}, "settings": {"type": "disallowed"}}""", _panel);

        Assert.That(read.Description, Does.EndWith("Id 0 is not a positive integer."));
        Assert.That(update.Description, Does.EndWith("Id 0 is not a positive integer."));
    }

    [Test]
    public async Task ProblemDetailsOption_WritesRfc9457WithTheNavixyCode()
    {
        await using var app = await TestApp.StartAsync(before: b => b.Services.Configure<TwoFactorHttpOptions>(o => o.ErrorFormat = TwoFactorErrorFormat.ProblemDetails));

        var answer = await app.PostAsync("user/auth", new { login = "fleet@acme.example", password = "nope" });

        Assert.That(answer.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(answer.Body.GetProperty("status").GetInt32(), Is.EqualTo(400));
        Assert.That(answer.Body.GetProperty("code").GetInt32(), Is.EqualTo(102));
        Assert.That(answer.Body.GetProperty("detail").GetString(), Is.EqualTo("Wrong login or password."));
    }

    [Test]
    public async Task RoutePrefix_MovesEveryEndpoint()
    {
        await using var app = await TestApp.StartAsync(before: b => b.Services.Configure<TwoFactorHttpOptions>(o => o.RoutePrefix = "/v2"));

        var prefixed = await app.PostAsync("v2/user/auth", new { login = "fleet@acme.example", password = "fleet-pass" });
        using var bare = await app.Client.PostAsync("user/auth", new StringContent("{}", Encoding.UTF8, "application/json"));
        var unknownUnderPrefix = await app.PostRawAsync("v2/user/nothing", "{}");

        Assert.That(prefixed.Success, Is.True, prefixed.Text);
        Assert.That(bare.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "outside the prefix the host answers, not the package");
        Assert.That(unknownUnderPrefix.Code, Is.EqualTo(111));
    }

    [Test]
    public async Task RequireStepUp_OnAHostsOwnEndpoint_RefusesWithoutAPassedStepUp()
    {
        await using var app = await TestApp.StartAsync(after: a => a.MapPost("/user/danger", (HttpContext c) =>
            NavixyResults.Success(new DangerResponse(c.GetStepUpProof()!.PrincipalId))).RequireStepUp());
        await app.PostRawAsync("panel/user/mfa/settings/update", """{"target": {"type": "all"}, "settings": {"type": "allowed", "factor_types": ["email"]}}""", app.PanelHash(TestApp.Acme));
        var auth = await app.PostAsync("user/auth", new { login = "fleet@acme.example", password = "fleet-pass" });
        var full = (await app.PostAsync("user/auth/code/verify", new { code = app.Mailer.LastCode(TestApp.Acme, 101) }, auth.Hash)).Hash;

        var without = await app.PostRawAsync("user/danger", "{}", full);
        var restricted = await app.PostRawAsync("user/danger", "{}", auth.Hash);

        Assert.That(without.Code, Is.EqualTo(7), without.Text);
        Assert.That(restricted.Code, Is.EqualTo(4));
    }

    [Test]
    [Description("T4: RequireStepUp() redeems through the library's one step-up check: once, and only within Totp.StepUpLifetime")]
    public async Task T4_RequireStepUp_OnAHostsOwnEndpoint_TheLibraryRedeemsTheProofOnceAndOnlyWhileFresh()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(
            before: b =>
            {
                b.Services.AddSingleton<TimeProvider>(clock);
                b.Services.Configure<TwoFactorOptions>(o => o.Totp.StepUpLifetime = TimeSpan.FromMinutes(2)); // shorter than any package default
            },
            after: a => a.MapPost("/user/danger", (HttpContext c) => NavixyResults.Success(new DangerResponse(c.GetStepUpProof()!.PrincipalId))).RequireStepUp());
        await app.PostRawAsync("panel/user/mfa/settings/update", """{"target": {"type": "all"}, "settings": {"type": "allowed", "factor_types": ["email"]}}""", app.PanelHash(TestApp.Acme));
        var auth = await app.PostAsync("user/auth", new { login = "fleet@acme.example", password = "fleet-pass" });
        var full = (await app.PostAsync("user/auth/code/verify", new { code = app.Mailer.LastCode(TestApp.Acme, 101) }, auth.Hash)).Hash;

        var fresh = await PassStepUpAsync(app, clock, full);
        var first = await app.PostAsync("user/danger", new { step_up_hash = fresh }, full);
        var again = await app.PostAsync("user/danger", new { step_up_hash = fresh }, full);
        var stale = await PassStepUpAsync(app, clock, full);
        clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        var late = await app.PostAsync("user/danger", new { step_up_hash = stale }, full);

        Assert.That(first.Success, Is.True, first.Text);
        Assert.That(again.Code, Is.EqualTo(7), "a step-up is proof for one call");
        Assert.That(late.Code, Is.EqualTo(7), "the library's step-up lifetime (here 2 minutes) decides, not a second clock in the package");
    }

    private static async Task<string> PassStepUpAsync(TestApp app, FakeTimeProvider clock, string full)
    {
        clock.Advance(TimeSpan.FromMinutes(1)); // past the send cooldown of the last emailed code (C9)
        var started = await app.PostAsync("user/auth/step_up/start", new { }, full);
        var stepUp = started.Body.GetProperty("step_up_hash").GetString()!;
        var verified = await app.PostAsync("user/auth/step_up/verify", new { step_up_hash = stepUp, code = app.Mailer.LastCode(TestApp.Acme, 101) }, full);
        Assert.That(verified.Success, Is.True, verified.Text);
        return stepUp;
    }

    [Test]
    public async Task Kestrel_LoopbackPort_SignsInAndAnswersNavixyErrors()
    {
        await using var app = await TestApp.StartAsync(kestrel: true);

        Assert.That(app.Client.BaseAddress!.IsLoopback, Is.True);
        var signIn = await app.PostAsync("user/auth", new { login = "fleet@acme.example", password = "fleet-pass" });
        var unknown = await app.PostRawAsync("nothing/here", "{}");

        Assert.That(signIn.Text, Does.Match("""^\{"success":true,"hash":"[0-9a-f]{32}"\}$"""));
        Assert.That(unknown.Code, Is.EqualTo(111));
    }

    [Test]
    public async Task OpenApi_DescribesEveryEndpoint()
    {
        await using var app = await TestApp.StartAsync(before: b => b.Services.AddOpenApi(), after: a => a.MapOpenApi());

        using var response = await app.Client.GetAsync("openapi/v1.json");
        var document = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        foreach (var path in new[] { "/user/auth", "/user/auth/code/verify", "/user/auth/code/resend", "/user/auth/step_up/start", "/user/auth/totp/begin", "/panel/user/mfa/settings/update", "/panel/user/mfa/settings/default/read" })
        {
            Assert.That(document, Does.Contain("\"" + path + "\""), path);
        }

        Assert.That(document, Does.Contain("factor_type").And.Contain("second_factor_required").Or.Contain("step_up_hash"));
    }

    private sealed record DangerResponse(long UserId) : NavixySuccess;
}
