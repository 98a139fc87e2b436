namespace Navixy.TwoFactor.Sample.Tests.Authenticator;

/// <summary>
/// policy.md T4 on the wire: binding the first authenticator needs a passed step-up whenever the user could pass the
/// second step another way (the dealer allows email), so a stolen session cannot bind its own app and take the recovery
/// codes; only a user who can pass solely with the app it lacks enrols without one.
/// </summary>
public class FirstEnrolmentStepUpTests : AuthenticatorTests
{
    [Test]
    [Description("policy.md T4: the first authenticator needs a step-up when email is allowed too")]
    public async Task T4_Begin_FirstAppWithoutStepUp_Answers7AndNothingIsPending()
    {
        await AllowForAllAsync("acme.admin", "email", "totp");
        var full = await Server.FullHashWithCodeAsync(Fleet);

        var refused = await Server.PostAsync("user/auth/totp/begin", new { }, full);
        var unknown = await Server.PostAsync("user/auth/totp/begin", new { step_up_hash = new string('a', 32) }, full);

        Assert.That(refused.Code, Is.EqualTo(7), refused.Text);
        Assert.That(refused.Description, Does.Contain("step_up_hash is required to add or replace an authenticator app"));
        Assert.That(refused.Text, Does.Not.Contain("secret"));
        Assert.That(unknown.Code, Is.EqualTo(7), unknown.Text);
        Assert.That(await StatusAsync(full), Does.Contain("\"pending_enrollment\":false"));
    }

    [Test]
    [Description("policy.md T4: with a passed step-up the first app is begun, confirmed, and the step-up is used up")]
    public async Task T4_Begin_FirstAppWithAPassedStepUp_IsBegunOnce()
    {
        await AllowForAllAsync("acme.admin", "email", "totp");
        var full = await Server.FullHashWithCodeAsync(Fleet);
        var stepUp = await PassedEmailStepUpAsync(full);

        var begun = await Server.PostAsync("user/auth/totp/begin", new { step_up_hash = stepUp }, full);
        var again = await Server.PostAsync("user/auth/totp/begin", new { step_up_hash = stepUp }, full);

        Assert.That(begun.Success, Is.True, begun.Text);
        Assert.That(again.Code, Is.EqualTo(7), "a step-up works for one call");
        var secret = begun.Body.GetProperty("secret").GetString()!;
        var confirmed = await Server.PostAsync("user/auth/totp/confirm", new { code = AppCode(secret) }, full);
        Assert.That(confirmed.Success, Is.True, confirmed.Text);
    }

    [Test]
    [Description("policy.md T4: behind a step-up the pending enrolment lasts at most the step-up lifetime (5 minutes)")]
    public async Task T4_Begin_BehindAStepUp_ExpiresWithinFiveMinutes()
    {
        await AllowForAllAsync("acme.admin", "email", "totp");
        var full = await Server.FullHashWithCodeAsync(Fleet);
        var stepUp = await PassedEmailStepUpAsync(full);
        var begun = await Server.PostAsync("user/auth/totp/begin", new { step_up_hash = stepUp }, full);
        Assert.That(begun.Success, Is.True, begun.Text);

        Assert.That(begun.Body.GetProperty("expires_at").GetDateTimeOffset(), Is.LessThanOrEqualTo(Clock.GetUtcNow().AddMinutes(5)));
        Clock.Advance(TimeSpan.FromMinutes(5));
        var late = await Server.PostAsync("user/auth/totp/confirm", new { code = AppCode(begun.Body.GetProperty("secret").GetString()!) }, full);

        Assert.That(late.Code, Is.EqualTo(13), late.Text);
        Assert.That(late.Description, Does.Contain("user/auth/totp/begin"));
    }

    [Test]
    [Description("policy.md T4: a user who may pass only with the app it lacks has no other second step: it enrols without step-up")]
    public async Task T4_Begin_UserWhoMayPassOnlyWithTheAppItLacks_EnrolsWithoutStepUp()
    {
        await AllowForAllAsync("acme.admin", "email", "totp");
        var full = await Server.FullHashWithCodeAsync(Fleet);
        await AllowForAllAsync("acme.admin", "totp");

        var begun = await Server.PostAsync("user/auth/totp/begin", new { }, full);

        Assert.That(begun.Success, Is.True, begun.Text);
        var confirmed = await Server.PostAsync("user/auth/totp/confirm", new { code = AppCode(begun.Body.GetProperty("secret").GetString()!) }, full);
        Assert.That(confirmed.Success, Is.True, confirmed.Text);
    }
}
