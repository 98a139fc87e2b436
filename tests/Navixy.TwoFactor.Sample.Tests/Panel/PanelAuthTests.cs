using System.Net;

namespace Navixy.TwoFactor.Sample.Tests.Panel;

public class PanelAuthTests
{
    private SampleServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await SampleServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Auth_RightPassword_AnswersHashAndPermissions()
    {
        var response = await _server.PostAsync("panel/account/auth", new { login = "acme.admin", password = "acme-admin-pass" });

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(response.Success, Is.True);
        Assert.That(response.Hash, Does.Match("^[0-9a-f]{32}$"));
        var users = response.Body.GetProperty("permissions").GetProperty("users").EnumerateArray().Select(a => a.GetString()).ToArray();
        Assert.That(users, Is.EquivalentTo(new[] { "create", "read", "update", "delete" }));
    }

    [Test]
    public async Task Auth_ReadOnlyLogin_AnswersOnlyReadPermission()
    {
        var response = await _server.PostAsync("panel/account/auth", new { login = "acme.viewer", password = "acme-viewer-pass" });

        var users = response.Body.GetProperty("permissions").GetProperty("users").EnumerateArray().Select(a => a.GetString()).ToArray();
        Assert.That(users, Is.EqualTo(new[] { "read" }));
    }

    [Test]
    public async Task Auth_TwoSignIns_AnswerDifferentHashes()
    {
        var first = await _server.PanelHashAsync();
        var second = await _server.PanelHashAsync();

        Assert.That(first, Is.Not.EqualTo(second));
    }

    [Test]
    public async Task Auth_WrongPassword_Answers102()
    {
        var response = await _server.PostAsync("panel/account/auth", new { login = "beacon.admin", password = "wrong" });

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Success, Is.False);
        Assert.That(response.Code, Is.EqualTo(102));
        Assert.That(response.HasHash, Is.False);
    }

    [Test]
    public async Task Auth_UnknownLogin_Answers102WithTheSameDescriptionAsAWrongPassword()
    {
        var unknown = await _server.PostAsync("panel/account/auth", new { login = "nobody.admin", password = "x" });
        var wrong = await _server.PostAsync("panel/account/auth", new { login = "beacon.admin", password = "y" });

        Assert.That(unknown.Code, Is.EqualTo(102));
        Assert.That(unknown.Description, Is.EqualTo(wrong.Description));
    }

    [Test]
    public async Task Auth_UserLogin_IsNotAPanelLogin()
    {
        var response = await _server.PostAsync("panel/account/auth", new { login = "fleet@acme.example", password = "fleet-pass" });

        Assert.That(response.Code, Is.EqualTo(102));
    }

    [Test]
    public async Task Auth_TooManyWrongPasswords_Answers105EvenForTheRightPassword()
    {
        await using var server = await SampleServer.StartAsync(null, "Sample:Credentials:MaxFailedLogins=3");
        for (var i = 0; i < 3; i++)
        {
            var wrong = await server.PostAsync("panel/account/auth", new { login = "acme.viewer", password = "guess" + i });
            Assert.That(wrong.Code, Is.EqualTo(102));
        }

        var right = await server.PostAsync("panel/account/auth", new { login = "acme.viewer", password = "acme-viewer-pass" });

        Assert.That(right.Code, Is.EqualTo(105));
        Assert.That(right.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(right.HasHash, Is.False);
    }

    [Test]
    public async Task Auth_MissingPassword_Answers7NamingIt()
    {
        var response = await _server.PostAsync("panel/account/auth", new { login = "acme.admin" });

        Assert.That(response.Code, Is.EqualTo(7));
        Assert.That(response.Description, Does.Contain("password"));
    }

    [Test]
    public async Task Auth_LoginNotAString_Answers5NamingIt()
    {
        var response = await _server.PostAsync("panel/account/auth", new { login = 42, password = "x" });

        Assert.That(response.Code, Is.EqualTo(5));
        Assert.That(response.Description, Does.Contain("login"));
    }
}
