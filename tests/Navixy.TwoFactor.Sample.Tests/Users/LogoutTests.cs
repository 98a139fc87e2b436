namespace Navixy.TwoFactor.Sample.Tests.Users;

/// <summary><c>user/logout</c> ends the session it is called with, full or restricted.</summary>
public class LogoutTests
{
    private SampleServer _server = null!;

    [SetUp]
    public async Task StartAsync() => _server = await SampleServer.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Logout_FullSession_EndsItAndOnlyIt()
    {
        var first = (await _server.UserAuthAsync("plain@acme.example")).Hash;
        var second = (await _server.UserAuthAsync("plain@acme.example")).Hash;

        var logout = await _server.PostAsync("user/logout", new { }, first);

        Assert.That(logout.Text, Is.EqualTo("""{"success":true}"""));
        Assert.That((await _server.PostAsync("user/get_info", new { }, first)).Code, Is.EqualTo(4));
        Assert.That((await _server.PostAsync("user/get_info", new { }, second)).Success, Is.True);
        Assert.That((await _server.PostAsync("user/logout", new { }, first)).Code, Is.EqualTo(4), "already ended");
    }

    [Test]
    public async Task Logout_RestrictedSession_EndsTheSignIn()
    {
        await _server.EnforceForAllAsync();
        var pending = await _server.PendingHashAsync("plain@acme.example");

        var logout = await _server.PostAsync("user/logout", new { }, pending);

        Assert.That(logout.Success, Is.True, logout.Text);
        Assert.That((await _server.VerifyAsync(pending, _server.LatestCode("plain@acme.example"))).Code, Is.EqualTo(4));
    }

    [Test]
    public async Task Logout_PanelHash_Answers4AndThePanelSessionStays()
    {
        var panel = await _server.PanelHashAsync();

        var logout = await _server.PostAsync("user/logout", new { }, panel);

        Assert.That(logout.Code, Is.EqualTo(4));
        Assert.That((await _server.PostAsync("panel/user/mfa/settings/default/read", new { }, panel)).Success, Is.True);
    }
}
