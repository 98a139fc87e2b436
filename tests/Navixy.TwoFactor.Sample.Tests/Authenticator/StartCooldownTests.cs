using System.Net;

namespace Navixy.TwoFactor.Sample.Tests.Authenticator;

/// <summary>
/// policy.md C9 on the wire: a start that would email a code within a minute of the user's last code (a login's, a
/// resend's, a switch's or a step-up's) sends nothing and answers 15 (HTTP 429) with the wait; an authenticator start
/// waits for nothing; at most five challenges of a user are open, a sixth revokes the oldest.
/// </summary>
public class StartCooldownTests : AuthenticatorTests
{
    [Test]
    [Description("policy.md C9: a login within the resend interval of the last code answers 15 with the wait, sends nothing, starts no session")]
    public async Task C9_LoginWithinAMinuteOfTheLastCode_Answers15WithTheWaitAndSendsNothing()
    {
        await AllowForAllAsync("acme.admin", "email");
        var first = await Server.PendingHashAsync(Fleet);

        Clock.Advance(TimeSpan.FromSeconds(20));
        var again = await Server.UserAuthAsync(Fleet);

        Assert.That(again.Code, Is.EqualTo(15), again.Text);
        Assert.That(again.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(again.Description, Does.Contain("sign in again in 40 s"));
        Assert.That(again.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(40)));
        Assert.That(again.HasHash, Is.False);
        Assert.That(Server.OutboxFilesTo(Fleet), Has.Length.EqualTo(1), "nothing more was sent");
        Assert.That((await Server.VerifyAsync(first, Server.LatestCode(Fleet))).Success, Is.True, "the first sign-in's code still passes");

        Clock.Advance(TimeSpan.FromSeconds(40));
        Assert.That((await Server.UserAuthAsync(Fleet)).Success, Is.True, "after the wait a code is sent again");
        Assert.That(Server.OutboxFilesTo(Fleet), Has.Length.EqualTo(2));
    }

    [Test]
    [Description("policy.md C9: the interval is the user's, not the call's: a step-up just after a login's code answers 15")]
    public async Task C9_EmailStepUpWithinAMinuteOfTheLoginCode_Answers15()
    {
        await AllowForAllAsync("acme.admin", "email");
        var full = await Server.FullHashWithCodeAsync(Fleet);

        var start = await Server.PostAsync("user/auth/step_up/start", new { }, full);

        Assert.That(start.Code, Is.EqualTo(15), start.Text);
        Assert.That(start.Description, Does.Contain("a new step-up can be started in 60 s"));
        Assert.That(start.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(60)));
        Assert.That(Server.OutboxFilesTo(Fleet), Has.Length.EqualTo(1));
    }

    [Test]
    [Description("policy.md C9: concurrent step-up starts reserve the email atomically: one code is sent in all")]
    public async Task C9_ConcurrentEmailStepUpStarts_SendOneEmail()
    {
        await AllowForAllAsync("acme.admin", "email");
        var full = await Server.FullHashWithCodeAsync(Fleet);
        CooldownPassed();

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            Server.PostAsync("user/auth/step_up/start", new { }, full)));

        Assert.That(answers.Count(a => a.Success), Is.EqualTo(1), string.Join("\n", answers.Select(a => a.Text)));
        Assert.That(answers.Where(a => !a.Success).Select(a => a.Code), Is.All.EqualTo(15));
        Assert.That(Server.OutboxFilesTo(Fleet), Has.Length.EqualTo(2), "the login's code and one step-up code");
    }

    [Test]
    [Description("policy.md C9: a switch to email too soon answers 15 and the sign-in may still switch after the wait")]
    public async Task C9_SwitchToEmailTooSoon_Answers15AndMaySwitchAfterTheWait()
    {
        var (full, secret, _) = await SignInAndEnrolAsync();
        var stepUp = await Server.PostAsync("user/auth/step_up/start", new { factor_type = "email" }, full);
        Assert.That(stepUp.Success, Is.True, stepUp.Text);
        var pending = await PendingWithAppAsync();

        var tooSoon = await Server.PostAsync("user/auth/factor/switch", new { factor_type = "email" }, pending);
        CooldownPassed();
        var switched = await Server.PostAsync("user/auth/factor/switch", new { factor_type = "email" }, pending);

        Assert.That(tooSoon.Code, Is.EqualTo(15), tooSoon.Text);
        Assert.That(tooSoon.Description, Does.Contain("this sign-in can switch to email in 60 s"));
        Assert.That(switched.Success, Is.True, switched.Text);
        Assert.That((await Server.VerifyAsync(pending, Server.LatestCode(Fleet))).Success, Is.True);
        Assert.That(secret, Is.Not.Empty);
    }

    [Test]
    [Description("policy.md C9: an authenticator start sends nothing, so it waits for nothing")]
    public async Task C9_AppSignInsRightAfterAnEmailCode_AreNotRefused()
    {
        var (full, secret, _) = await SignInAndEnrolAsync();
        Assert.That((await Server.PostAsync("user/auth/step_up/start", new { factor_type = "email" }, full)).Success, Is.True);

        var auth = await Server.UserAuthAsync(Fleet);
        var stepUp = await Server.PostAsync("user/auth/step_up/start", new { factor_type = "totp" }, full);

        Assert.That(auth.Body.GetProperty("factor_type").GetString(), Is.EqualTo("totp"), auth.Text);
        Assert.That(stepUp.Success, Is.True, stepUp.Text);
        Assert.That((await Server.VerifyAsync(auth.Hash, AppCode(secret))).Success, Is.True);
    }

    [Test]
    [Description("policy.md C9: at most five challenges of a user are open; a sixth sign-in revokes the oldest")]
    public async Task C9_SixthOpenSignIn_RevokesTheOldest()
    {
        var (_, secret, _) = await SignInAndEnrolAsync();
        var pending = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            pending.Add(await PendingWithAppAsync());
        }

        var oldest = await Server.VerifyAsync(pending[0], AppCode(secret));
        var newest = await Server.VerifyAsync(pending[^1], AppCode(secret));

        Assert.That(oldest.Text, Is.EqualTo(WrongCodeText), "revoked: its challenge is unknown now");
        Assert.That(newest.Success, Is.True, newest.Text);
    }
}
