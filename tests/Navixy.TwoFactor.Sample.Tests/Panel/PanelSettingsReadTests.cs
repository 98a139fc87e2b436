using System.Net;

namespace Navixy.TwoFactor.Sample.Tests.Panel;

/// <summary>The two reads, against one seeded server that no test changes.</summary>
public class PanelSettingsReadTests
{
    private SampleServer _server = null!;
    private string _acme = null!;
    private string _beacon = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await SampleServer.StartAsync();
        _acme = await _server.PanelHashAsync("acme.admin");
        _beacon = await _server.PanelHashAsync("beacon.admin");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCase(101)]
    [TestCase(104)]
    [TestCase(105)]
    [TestCase(106)]
    public async Task Read_SeededAccount_AnswersDisallowed(long userId)
    {
        var response = await _server.PostAsync("panel/user/mfa/settings/read", new { user_id = userId }, _acme);

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Text, Is.EqualTo("""{"success":true,"value":{"type":"disallowed"}}"""));
    }

    [Test]
    public async Task Read_UnknownId_Answers201()
    {
        var response = await _server.PostAsync("panel/user/mfa/settings/read", new { user_id = 999 }, _acme);

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Code, Is.EqualTo(201));
        Assert.That(response.Description, Does.Contain("999"));
    }

    [Test]
    public async Task Read_OtherDealersId_AnswersExactlyLikeAnUnknownId()
    {
        // 104 is an account of dealer 1 only; dealer 2 must not learn that it exists.
        var foreign = await _server.PostAsync("panel/user/mfa/settings/read", new { user_id = 104 }, _beacon);
        var unknown = await _server.PostAsync("panel/user/mfa/settings/read", new { user_id = 998 }, _beacon);

        Assert.That(foreign.Code, Is.EqualTo(201));
        Assert.That(foreign.Status, Is.EqualTo(unknown.Status));
        Assert.That(foreign.Text.Replace("104", "998", StringComparison.Ordinal), Is.EqualTo(unknown.Text));
    }

    [Test]
    public async Task Read_SameIdInTwoDealers_ReadsEachDealersOwnAccount()
    {
        // 102 is a sub-user in dealer 1 (not found) and an account in dealer 2.
        var inAcme = await _server.PostAsync("panel/user/mfa/settings/read", new { user_id = 102 }, _acme);
        var inBeacon = await _server.PostAsync("panel/user/mfa/settings/read", new { user_id = 102 }, _beacon);

        Assert.That(inAcme.Code, Is.EqualTo(201));
        Assert.That(inBeacon.Success, Is.True);
    }

    [Test]
    public async Task Read_SubUserId_Answers201()
    {
        var response = await _server.PostAsync("panel/user/mfa/settings/read", new { user_id = 103 }, _acme);

        Assert.That(response.Code, Is.EqualTo(201));
    }

    [TestCase(0)]
    [TestCase(-5)]
    public async Task Read_NonPositiveUserId_Answers7NamingIt(long userId)
    {
        var response = await _server.PostAsync("panel/user/mfa/settings/read", new { user_id = userId }, _acme);

        Assert.That(response.Code, Is.EqualTo(7));
        Assert.That(response.Description, Does.Contain("user_id"));
    }

    [Test]
    public async Task Read_MissingUserId_Answers7NamingIt()
    {
        var response = await _server.PostAsync("panel/user/mfa/settings/read", new { }, _acme);

        Assert.That(response.Code, Is.EqualTo(7));
        Assert.That(response.Description, Does.Contain("user_id"));
    }

    [TestCase("""{"user_id": "101"}""")]
    [TestCase("""{"user_id": [101]}""")]
    [TestCase("""{"user_id": true}""")]
    public async Task Read_UserIdOfTheWrongKind_Answers5(string body)
    {
        var response = await _server.PostRawAsync("panel/user/mfa/settings/read", body, _acme);

        Assert.That(response.Code, Is.EqualTo(5));
        Assert.That(response.Description, Does.Contain("user_id"));
    }

    [TestCase("""{"user_id": 1.5}""")]
    [TestCase("""{"user_id": 1e30}""")]
    public async Task Read_UserIdNotAnInteger_Answers7(string body)
    {
        var response = await _server.PostRawAsync("panel/user/mfa/settings/read", body, _acme);

        Assert.That(response.Code, Is.EqualTo(7));
    }

    [Test]
    public async Task Read_WithReadOnlyPanelLogin_Succeeds()
    {
        var viewer = await _server.PanelHashAsync("acme.viewer");

        var response = await _server.PostAsync("panel/user/mfa/settings/read", new { user_id = 101 }, viewer);

        Assert.That(response.Success, Is.True);
    }

    [Test]
    public async Task DefaultRead_FreshDealer_AnswersDisallowed()
    {
        var response = await _server.PostAsync("panel/user/mfa/settings/default/read", new { }, _beacon);

        Assert.That(response.Text, Is.EqualTo("""{"success":true,"value":{"type":"disallowed"}}"""));
    }

    [Test]
    public async Task DefaultRead_EmptyBody_IsAnEmptyObject()
    {
        var response = await _server.PostRawAsync("panel/user/mfa/settings/default/read", string.Empty, _beacon);

        Assert.That(response.Success, Is.True);
    }
}
