using Navixy.TwoFactor.Sample.Tests.Authenticator;

namespace Navixy.TwoFactor.Sample.Tests.Panel;

/// <summary><c>panel/user/mfa/reset</c>: a dealer's admin removes a user's authenticator app; other dealers' users are 201.</summary>
public class PanelMfaResetTests : AuthenticatorTests
{
    [Test]
    public async Task Reset_ByTheUsersDealer_RemovesTheAppAndTheRecoveryCodes()
    {
        var (full, _, recoveryCodes) = await SignInAndEnrolAsync(Plain);
        var panel = await Server.PanelHashAsync("acme.admin");

        var reset = await Server.PostAsync("panel/user/mfa/reset", new { user_id = 106 }, panel);
        var again = await Server.PostAsync("panel/user/mfa/reset", new { user_id = 106 }, panel);

        Assert.That(reset.Text, Is.EqualTo("""{"success":true,"removed":true}"""));
        Assert.That(again.Text, Is.EqualTo("""{"success":true,"removed":false}"""));
        Assert.That(await StatusAsync(full), Does.Contain("\"enrolled\":false").And.Contain("\"recovery_codes_left\":0"));
        var auth = await Server.UserAuthAsync(Plain);
        Assert.That(auth.Body.GetProperty("factor_type").GetString(), Is.EqualTo("email"), "back to email");
        Assert.That((await Server.VerifyAsync(auth.Hash, recoveryCodes[0])).Text, Is.EqualTo(WrongCodeText));
    }

    [Test]
    public async Task Reset_AnotherDealersUser_Answers201AndChangesNothing()
    {
        // 106 exists only in dealer 1; 101 exists in both dealers.
        var (_, plainSecret, _) = await SignInAndEnrolAsync(Plain);
        var fleetFull = await Server.FullHashWithCodeAsync(Fleet);
        var (fleetSecret, _) = await EnrolAsync(fleetFull);
        NextStep();
        var beacon = await Server.PanelHashAsync("beacon.admin");

        var other = await Server.PostAsync("panel/user/mfa/reset", new { user_id = 106 }, beacon);
        var sameId = await Server.PostAsync("panel/user/mfa/reset", new { user_id = 101 }, beacon);

        Assert.That(other.Code, Is.EqualTo(201), other.Text);
        Assert.That(other.Description, Does.Contain("106"));
        Assert.That(sameId.Text, Is.EqualTo("""{"success":true,"removed":false}"""), "dealer 2's own user 101 had nothing to remove");
        Assert.That((await Server.VerifyAsync(await PendingWithAppAsync(Plain), AppCode(plainSecret))).Success, Is.True, "dealer 1's 106 keeps its app");
        Assert.That((await Server.VerifyAsync(await PendingWithAppAsync(Fleet), AppCode(fleetSecret))).Success, Is.True, "dealer 1's 101 keeps its app");
    }

    [Test]
    public async Task Reset_SubUserOfTheDealer_IsAUserToo()
    {
        await AllowForAllAsync("acme.admin", "email", "totp");
        var full = await Server.FullHashWithCodeAsync("driver@acme.example");
        await EnrolAsync(full, "driver@acme.example");
        var panel = await Server.PanelHashAsync("acme.admin");

        var reset = await Server.PostAsync("panel/user/mfa/reset", new { user_id = 103 }, panel);

        Assert.That(reset.Text, Is.EqualTo("""{"success":true,"removed":true}"""));
    }

    [Test]
    public async Task Reset_UserWhoMayUseOnlyTheApp_CannotSignInUntilTheDealerAllowsEmail()
    {
        await SignInAndEnrolAsync(Plain);
        await AllowForAllAsync("acme.admin", "totp");
        var panel = await Server.PanelHashAsync("acme.admin");
        Assert.That((await Server.PostAsync("panel/user/mfa/reset", new { user_id = 106 }, panel)).Success, Is.True);

        var refused = await Server.UserAuthAsync(Plain);
        await AllowForAllAsync("acme.admin", "email", "totp");
        var allowed = await Server.UserAuthAsync(Plain);

        Assert.That(refused.Code, Is.EqualTo(13), refused.Text);
        Assert.That(refused.HasHash, Is.False);
        Assert.That(allowed.Body.GetProperty("factor_type").GetString(), Is.EqualTo("email"), allowed.Text);
    }

    [Test]
    public async Task Reset_ReadOnlyPanelSession_Answers13()
    {
        await SignInAndEnrolAsync(Plain);
        var viewer = await Server.PanelHashAsync("acme.viewer");

        var reset = await Server.PostAsync("panel/user/mfa/reset", new { user_id = 106 }, viewer);

        Assert.That(reset.Code, Is.EqualTo(13), reset.Text);
        Assert.That(reset.Description, Does.Contain("users: update"));
        Assert.That((await Server.UserAuthAsync(Plain)).Body.GetProperty("factor_type").GetString(), Is.EqualTo("totp"), "nothing changed");
    }

    [TestCase("""{}""", 7, "user_id")]
    [TestCase("""{"user_id": 0}""", 7, "positive")]
    [TestCase("""{"user_id": "106"}""", 5, "user_id")]
    [TestCase("""{"user_id": 999}""", 201, "999")]
    public async Task Reset_BadUserId_AnswersTheCodeNamingIt(string body, int code, string named)
    {
        var panel = await Server.PanelHashAsync("acme.admin");

        var reset = await Server.PostRawAsync("panel/user/mfa/reset", body, panel);

        Assert.That(reset.Code, Is.EqualTo(code), reset.Text);
        Assert.That(reset.Description, Does.Contain(named));
    }

    [Test]
    public async Task Reset_UserHash_Answers4()
    {
        var full = (await Server.UserAuthAsync(Plain)).Hash;

        var reset = await Server.PostAsync("panel/user/mfa/reset", new { user_id = 106 }, full);

        Assert.That(reset.Code, Is.EqualTo(4));
    }
}
