using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Navixy.TwoFactor.Sample.Tests.Panel;

/// <summary>Which hashes the Panel API accepts: only live panel sessions.</summary>
public class PanelSessionTests
{
    private static readonly string[] Endpoints =
    [
        "panel/user/mfa/settings/read",
        "panel/user/mfa/settings/update",
        "panel/user/mfa/settings/default/read",
        "panel/user/mfa/settings/default/update",
    ];

    private SampleServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await SampleServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCaseSource(nameof(Endpoints))]
    public async Task PanelCall_WithoutAuthorization_Answers4(string path)
    {
        var response = await _server.SendAsync(path, Json("""{"user_id": 101}"""), authorization: null);

        Assert.That(response.Code, Is.EqualTo(4));
    }

    [TestCaseSource(nameof(Endpoints))]
    public async Task PanelCall_WithUnknownHash_Answers4(string path)
    {
        var response = await _server.PostRawAsync(path, """{"user_id": 101}""", new string('a', 32));

        Assert.That(response.Code, Is.EqualTo(4));
    }

    [TestCaseSource(nameof(Endpoints))]
    public async Task PanelCall_WithUserSessionHash_Answers4(string path)
    {
        var user = await _server.UserAuthAsync("plain@acme.example");
        Assert.That(user.Success, Is.True, user.Text);

        var response = await _server.PostRawAsync(path, """{"user_id": 101}""", user.Hash);

        Assert.That(response.Code, Is.EqualTo(4));
    }

    [TestCase("NVX 1234")]
    [TestCase("NVX 0123456789ABCDEF0123456789ABCDEF")]
    [TestCase("Bearer 0123456789abcdef0123456789abcdef")]
    [TestCase("NVX")]
    [TestCase("NVX 0123456789abcdef0123456789abcdef0")]
    public async Task PanelCall_WithMalformedAuthorization_Answers3(string authorization)
    {
        var response = await _server.SendAsync("panel/user/mfa/settings/default/read", Json("{}"), authorization);

        Assert.That(response.Code, Is.EqualTo(3));
    }

    [Test]
    public async Task PanelCall_SchemeInLowerCase_IsAccepted()
    {
        var hash = await _server.PanelHashAsync();

        var response = await _server.SendAsync("panel/user/mfa/settings/default/read", Json("{}"), "nvx " + hash);

        Assert.That(response.Success, Is.True, response.Text);
    }

    [Test]
    public async Task PanelSession_AfterItsLifetime_Answers4()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await SampleServer.StartAsync(s => s.AddSingleton<TimeProvider>(clock), "Sample:Sessions:PanelLifetime=01:00:00");
        var hash = await server.PanelHashAsync();

        clock.Advance(TimeSpan.FromMinutes(59));
        var before = await server.PostAsync("panel/user/mfa/settings/default/read", new { }, hash);
        clock.Advance(TimeSpan.FromMinutes(1));
        var after = await server.PostAsync("panel/user/mfa/settings/default/read", new { }, hash);

        Assert.That(before.Success, Is.True);
        Assert.That(after.Code, Is.EqualTo(4));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
}
