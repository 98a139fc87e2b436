namespace Navixy.TwoFactor.Sample.Tests.Authenticator;

/// <summary>
/// policy.md C4 on the wire: a lockout answers 105 with when to retry (in the description and in <c>Retry-After</c>) on
/// every path that can meet it, never 282 "wrong code" after the lock, whether the user is locked or one sign-in, step-up
/// or pending enrolment has used up its attempts.
/// </summary>
public class LockoutTests : AuthenticatorTests
{
    [Test]
    [Description("policy.md C4: a locked user is refused before any code is evaluated, on every path, with until when")]
    public async Task C4_LockedUser_EveryPathAnswers105WithTheRetryTime()
    {
        var (full, secret, _) = await SignInAndEnrolAsync();
        var forBegin = await PassedStepUpAsync(full, secret);
        var forConfirm = await PassedStepUpAsync(full, secret);
        var begun = await Server.PostAsync("user/auth/totp/begin", new { step_up_hash = forConfirm }, full);
        Assert.That(begun.Success, Is.True, begun.Text);
        var newSecret = begun.Body.GetProperty("secret").GetString()!;
        var stepUp = (await Server.PostAsync("user/auth/step_up/start", new { }, full)).Body.GetProperty("step_up_hash").GetString()!;
        var pendingApp = await PendingWithAppAsync();
        var pendingEmail = await PendingWithAppAsync();
        Assert.That((await Server.PostAsync("user/auth/factor/switch", new { factor_type = "email" }, pendingEmail)).Success, Is.True);

        // Ten wrong codes in a row lock the user; each challenge keeps attempts left, so the lock is the user's.
        var wrong = SampleServer.OtherCode(AppCode(secret));
        var answers = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add((await Server.VerifyAsync(pendingApp, wrong)).Code);
            answers.Add((await Server.PostAsync("user/auth/step_up/verify", new { step_up_hash = stepUp, code = wrong }, full)).Code);
        }

        answers.Add((await Server.VerifyAsync(pendingEmail, SampleServer.OtherCode(Server.LatestCode(Fleet)))).Code);
        answers.Add((await Server.VerifyAsync(pendingEmail, SampleServer.OtherCode(Server.LatestCode(Fleet)))).Code);
        Assert.That(answers, Is.EqualTo(Enumerable.Repeat(282, 9).Append(105)), "the tenth wrong code locks, and says so");

        CooldownPassed();
        var refused = new Dictionary<string, WireResponse>
        {
            ["user/auth"] = await Server.UserAuthAsync(Fleet),
            ["code/verify (app)"] = await Server.VerifyAsync(pendingApp, AppCode(secret)),
            ["code/verify (email)"] = await Server.VerifyAsync(pendingEmail, Server.LatestCode(Fleet)),
            ["code/resend"] = await Server.ResendAsync(pendingEmail),
            ["factor/switch"] = await Server.PostAsync("user/auth/factor/switch", new { factor_type = "email" }, pendingApp),
            ["step_up/start"] = await Server.PostAsync("user/auth/step_up/start", new { }, full),
            ["step_up/verify"] = await Server.PostAsync("user/auth/step_up/verify", new { step_up_hash = stepUp, code = AppCode(secret) }, full),
            ["totp/begin"] = await Server.PostAsync("user/auth/totp/begin", new { step_up_hash = forBegin }, full),
            ["totp/confirm"] = await Server.PostAsync("user/auth/totp/confirm", new { code = AppCode(newSecret) }, full),
        };

        Assert.Multiple(() =>
        {
            foreach (var (path, answer) in refused)
            {
                Assert.That(answer.Code, Is.EqualTo(105), $"{path}: {answer.Text}");
                Assert.That(answer.Description, Does.Contain("try again in 840 s"), path);
                Assert.That(answer.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(840)), path);
                Assert.That(answer.HasHash, Is.False, path);
            }
        });
        Assert.That(await StatusAsync(full), Does.Contain("\"enrolled\":true"), "the old app stays; nothing was confirmed");
    }

    [Test]
    [Description("policy.md C4: an app sign-in out of attempts answers 105, even for the right code; a new sign-in may start now")]
    public async Task C4_AppSignInOutOfAttempts_Answers105AndSignInAgainNow()
    {
        var (_, secret, _) = await SignInAndEnrolAsync();
        var pending = await PendingWithAppAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.That((await Server.VerifyAsync(pending, SampleServer.OtherCode(AppCode(secret)))).Code, Is.EqualTo(282));
        }

        var locked = await Server.VerifyAsync(pending, AppCode(secret));

        Assert.That(locked.Code, Is.EqualTo(105), locked.Text);
        Assert.That(locked.Description, Does.Contain("for this sign-in; sign in again now"));
        Assert.That(locked.RetryAfter, Is.EqualTo(TimeSpan.Zero));
        Assert.That((await Server.VerifyAsync(await PendingWithAppAsync(), AppCode(secret))).Success, Is.True, "a new sign-in passes");
    }

    [Test]
    [Description("policy.md C4: a step-up out of attempts answers 105, even for the right code")]
    public async Task C4_StepUpOutOfAttempts_Answers105EvenForTheRightCode()
    {
        var (full, secret, _) = await SignInAndEnrolAsync();
        var stepUp = (await Server.PostAsync("user/auth/step_up/start", new { }, full)).Body.GetProperty("step_up_hash").GetString()!;
        for (var i = 0; i < 5; i++)
        {
            var wrong = await Server.PostAsync("user/auth/step_up/verify", new { step_up_hash = stepUp, code = SampleServer.OtherCode(AppCode(secret)) }, full);
            Assert.That(wrong.Code, Is.EqualTo(282), wrong.Text);
        }

        var locked = await Server.PostAsync("user/auth/step_up/verify", new { step_up_hash = stepUp, code = AppCode(secret) }, full);

        Assert.That(locked.Code, Is.EqualTo(105), locked.Text);
        Assert.That(locked.Description, Does.Contain("for this step-up; start a new one"));
        Assert.That(locked.RetryAfter, Is.Not.Null);
        Assert.That((await Server.PostAsync("user/auth/totp/disable", new { step_up_hash = stepUp }, full)).Code, Is.EqualTo(7), "never proof");
    }

    [Test]
    [Description("policy.md T4, C4: a pending enrolment takes at most 5 wrong confirmation codes, then answers 105")]
    public async Task T4_Confirm_FiveWrongCodes_LockTheEnrolmentWith105()
    {
        await AllowForAllAsync("acme.admin", "email", "totp");
        var full = await Server.FullHashWithCodeAsync(Fleet);
        var secret = await BeginAsync(full);
        for (var i = 0; i < 5; i++)
        {
            var wrong = await Server.PostAsync("user/auth/totp/confirm", new { code = SampleServer.OtherCode(AppCode(secret)) }, full);
            Assert.That(wrong.Text, Is.EqualTo(WrongCodeText));
        }

        var locked = await Server.PostAsync("user/auth/totp/confirm", new { code = AppCode(secret) }, full);

        Assert.That(locked.Code, Is.EqualTo(105), locked.Text);
        Assert.That(locked.Description, Does.Contain("for this enrolment; begin again with user/auth/totp/begin in 60 s"));
        Assert.That(locked.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(60)));
        Assert.That(await StatusAsync(full), Does.Contain("\"enrolled\":false"));
        var again = await BeginAsync(full);
        Assert.That((await Server.PostAsync("user/auth/totp/confirm", new { code = AppCode(again) }, full)).Success, Is.True, "a new enrolment may be confirmed");
    }
}
