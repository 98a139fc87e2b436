using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Sample.Tests.Users;

/// <summary>Which hashes <c>user/get_info</c> accepts: only live full user sessions.</summary>
public class GetInfoTests
{
    private SampleServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await SampleServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task GetInfo_WithoutAuthorization_Answers4()
    {
        var response = await _server.SendAsync("user/get_info", new StringContent("{}", Encoding.UTF8, new MediaTypeHeaderValue("application/json")), authorization: null);

        Assert.That(response.Code, Is.EqualTo(4));
    }

    [Test]
    public async Task GetInfo_WithUnknownHash_Answers4()
    {
        var response = await _server.PostAsync("user/get_info", new { }, new string('0', 32));

        Assert.That(response.Code, Is.EqualTo(4));
    }

    [Test]
    public async Task GetInfo_WithMalformedHash_Answers3()
    {
        var response = await _server.PostAsync("user/get_info", new { }, "not-a-hash");

        Assert.That(response.Code, Is.EqualTo(3));
    }

    [Test]
    public async Task GetInfo_WithPanelSessionHash_Answers4()
    {
        var panel = await _server.PanelHashAsync();

        var response = await _server.PostAsync("user/get_info", new { }, panel);

        Assert.That(response.Code, Is.EqualTo(4));
    }

    [Test]
    public async Task GetInfo_WithRestrictedSessionHash_Answers4()
    {
        var sessions = _server.Sessions;
        var restricted = sessions.StartPending(new TenantId(1), 101, "email", "challenge-token");

        var response = await _server.PostAsync("user/get_info", new { }, restricted);

        Assert.That(response.Code, Is.EqualTo(4));
    }

    [Test]
    public async Task GetInfo_AfterTheSessionLifetime_Answers4()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await SampleServer.StartAsync(s => s.AddSingleton<TimeProvider>(clock), "Sample:Sessions:UserLifetime=02:00:00");
        var auth = await server.UserAuthAsync("plain@acme.example");

        clock.Advance(TimeSpan.FromHours(2));
        var response = await server.PostAsync("user/get_info", new { }, auth.Hash);

        Assert.That(response.Code, Is.EqualTo(4));
    }
}
