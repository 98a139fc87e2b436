using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Navixy.TwoFactor.Cryptography;

namespace Navixy.TwoFactor.Sample.Tests.Authenticator;

/// <summary><c>user/auth/totp/begin</c>, <c>/confirm</c> and <c>/status</c> for the signed-in user.</summary>
public class EnrolmentTests : AuthenticatorTests
{
    [Test]
    public async Task Status_AfterConfirmation_ShowsTheStateAndNoSecret()
    {
        var (full, secret, recoveryCodes) = await SignInAndEnrolAsync();

        var status = await Server.PostAsync("user/auth/totp/status", new { }, full);

        Assert.That(status.Text, Is.EqualTo("""{"success":true,"value":{"enrolled":true,"pending_enrollment":false,"recovery_codes_left":10,"totp_allowed":true}}"""));
        Assert.That(status.Text, Does.Not.Contain(secret).And.Not.Contain(recoveryCodes[0]));
    }

    [Test]
    public async Task Status_BeforeAndDuringEnrolment()
    {
        await AllowForAllAsync("acme.admin", "email", "totp");
        var full = await Server.FullHashWithCodeAsync(Fleet);

        var before = await StatusAsync(full);
        await BeginAsync(full);
        var during = await StatusAsync(full);

        Assert.That(before, Is.EqualTo("""{"enrolled":false,"pending_enrollment":false,"recovery_codes_left":0,"totp_allowed":true}"""));
        Assert.That(during, Is.EqualTo("""{"enrolled":false,"pending_enrollment":true,"recovery_codes_left":0,"totp_allowed":true}"""));
    }

    [Test]
    public async Task Begin_DealerDoesNotAllowTotp_Answers13()
    {
        await AllowForAllAsync("acme.admin", "email");
        var full = await Server.FullHashWithCodeAsync(Fleet);

        var begun = await Server.PostAsync("user/auth/totp/begin", new { }, full);

        Assert.That(begun.Code, Is.EqualTo(13), begun.Text);
        Assert.That(begun.Description, Does.Contain("totp"));
        Assert.That(await StatusAsync(full), Does.Contain("\"pending_enrollment\":false").And.Contain("\"totp_allowed\":false"));
    }

    [Test]
    public async Task Begin_NoSecondStepRequired_Answers13()
    {
        var full = (await Server.UserAuthAsync(Plain)).Hash;

        var begun = await Server.PostAsync("user/auth/totp/begin", new { }, full);

        Assert.That(begun.Code, Is.EqualTo(13), begun.Text);
    }

    [TestCase("user/auth/totp/begin")]
    [TestCase("user/auth/totp/status")]
    [TestCase("user/auth/totp/confirm")]
    [TestCase("user/auth/totp/disable")]
    [TestCase("user/auth/recovery_codes/regenerate")]
    [TestCase("user/auth/step_up/start")]
    [TestCase("user/auth/step_up/verify")]
    public async Task AuthenticatorCalls_DemoUser_Answer101(string path)
    {
        await AllowForAllAsync("acme.admin", "email", "totp");
        var demo = (await Server.UserAuthAsync("demo@acme.example")).Hash;

        var answer = await Server.PostAsync(path, new { }, demo);

        Assert.That(answer.Code, Is.EqualTo(101), answer.Text);
        Assert.That(answer.Description, Is.EqualTo("In demo mode this function is disabled."));
    }

    [TestCase("user/auth/totp/begin")]
    [TestCase("user/auth/totp/status")]
    [TestCase("user/auth/totp/confirm")]
    [TestCase("user/auth/totp/disable")]
    [TestCase("user/auth/recovery_codes/regenerate")]
    [TestCase("user/auth/step_up/start")]
    [TestCase("user/auth/step_up/verify")]
    public async Task AuthenticatorCalls_RestrictedOrPanelHash_Answer4(string path)
    {
        await AllowForAllAsync("acme.admin", "email", "totp");
        var pending = await Server.PendingHashAsync(Fleet);
        var panel = await Server.PanelHashAsync();

        Assert.That((await Server.PostAsync(path, new { }, pending)).Code, Is.EqualTo(4));
        Assert.That((await Server.PostAsync(path, new { }, panel)).Code, Is.EqualTo(4));
        Assert.That((await Server.PostAsync(path, new { })).Code, Is.EqualTo(4));
    }

    [Test]
    public async Task Confirm_WrongCode_Answers282AndTheEnrolmentStaysPending()
    {
        await AllowForAllAsync("acme.admin", "email", "totp");
        var full = await Server.FullHashWithCodeAsync(Fleet);
        var secret = await BeginAsync(full);

        var wrong = await Server.PostAsync("user/auth/totp/confirm", new { code = SampleServer.OtherCode(AppCode(secret)) }, full);
        var malformed = await Server.PostAsync("user/auth/totp/confirm", new { code = "12 345" }, full);
        var right = await Server.PostAsync("user/auth/totp/confirm", new { code = AppCode(secret) }, full);

        Assert.That(wrong.Text, Is.EqualTo(WrongCodeText));
        Assert.That(malformed.Text, Is.EqualTo(WrongCodeText));
        Assert.That(right.Success, Is.True, right.Text);
    }

    [Test]
    public async Task Confirm_WithoutBegin_Answers13()
    {
        await AllowForAllAsync("acme.admin", "email", "totp");
        var full = await Server.FullHashWithCodeAsync(Fleet);

        var confirmed = await Server.PostAsync("user/auth/totp/confirm", new { code = "123456" }, full);

        Assert.That(confirmed.Code, Is.EqualTo(13), confirmed.Text);
        Assert.That(confirmed.Description, Does.Contain("user/auth/totp/begin"));
    }

    [Test]
    public async Task Confirm_AfterTheConfirmationWindow_Answers13AndBeginStartsAgain()
    {
        await AllowForAllAsync("acme.admin", "email", "totp");
        var full = await Server.FullHashWithCodeAsync(Fleet);
        var secret = await BeginAsync(full);

        Clock.Advance(TimeSpan.FromMinutes(10));
        var late = await Server.PostAsync("user/auth/totp/confirm", new { code = AppCode(secret) }, full);
        var again = await BeginAsync(full);
        var confirmed = await Server.PostAsync("user/auth/totp/confirm", new { code = AppCode(again) }, full);

        Assert.That(late.Code, Is.EqualTo(13), late.Text);
        Assert.That(again, Is.Not.EqualTo(secret), "a fresh secret");
        Assert.That(confirmed.Success, Is.True, confirmed.Text);
    }

    [Test]
    public async Task Confirm_Twice_SecondAnswers13AndTheFirstCodesStay()
    {
        await AllowForAllAsync("acme.admin", "email", "totp");
        var full = await Server.FullHashWithCodeAsync(Fleet);
        var (secret, _) = await EnrolAsync(full);
        NextStep();

        var second = await Server.PostAsync("user/auth/totp/confirm", new { code = AppCode(secret) }, full);

        Assert.That(second.Code, Is.EqualTo(13), second.Text);
        Assert.That(await StatusAsync(full), Does.Contain("\"recovery_codes_left\":10"));
    }

    [Test]
    public async Task Begin_WhileEnrolled_NeedsAStepUpAndTheOldAppWorksUntilTheNewOneIsConfirmed()
    {
        var (full, oldSecret, _) = await SignInAndEnrolAsync();

        var refused = await Server.PostAsync("user/auth/totp/begin", new { }, full);
        Assert.That(refused.Code, Is.EqualTo(7), refused.Text);
        Assert.That(refused.Description, Does.Contain("step_up_hash"));

        var stepUp = await PassedStepUpAsync(full, oldSecret);
        var begun = await Server.PostAsync("user/auth/totp/begin", new { step_up_hash = stepUp }, full);
        Assert.That(begun.Success, Is.True, begun.Text);
        var newSecret = begun.Body.GetProperty("secret").GetString()!;
        Assert.That((await Server.VerifyAsync(await PendingWithAppAsync(), AppCode(oldSecret))).Success, Is.True, "the old app until confirmation");

        NextStep();
        Assert.That((await Server.PostAsync("user/auth/totp/confirm", new { code = AppCode(newSecret) }, full)).Success, Is.True);
        NextStep();
        Assert.That((await Server.VerifyAsync(await PendingWithAppAsync(), AppCode(oldSecret))).Text, Is.EqualTo(WrongCodeText), "the old app no more");
        Assert.That((await Server.VerifyAsync(await PendingWithAppAsync(), AppCode(newSecret))).Success, Is.True);
    }

    [Test]
    public async Task Enrolment_SecretsAndCodes_NeverReachTheLog()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await SampleServer.StartAsync(
            s => s.AddSingleton<ILoggerProvider>(logs).AddSingleton<TimeProvider>(Clock),
            "TwoFactor:Totp:RecoveryCodeIterations=10000",
            "Logging:LogLevel:Default=Debug");
        var panel = await server.PanelHashAsync();
        await server.PostAsync(
            "panel/user/mfa/settings/update",
            new { target = new { type = "all" }, settings = new { type = "allowed", factor_types = new[] { "email", "totp" } } },
            panel);
        var full = await server.FullHashWithCodeAsync(Fleet);
        CooldownPassed();
        var stepUp = (await server.PostAsync("user/auth/step_up/start", new { }, full)).Body.GetProperty("step_up_hash").GetString()!;
        await server.PostAsync("user/auth/step_up/verify", new { step_up_hash = stepUp, code = server.LatestCode(Fleet) }, full);
        var begun = await server.PostAsync("user/auth/totp/begin", new { step_up_hash = stepUp }, full);
        var secret = begun.Body.GetProperty("secret").GetString()!;
        var confirmed = await server.PostAsync("user/auth/totp/confirm", new { code = AppCode(secret) }, full);
        NextStep();
        var auth = await server.UserAuthAsync(Fleet);
        var code = AppCode(secret);
        await server.VerifyAsync(auth.Hash, code);

        var text = logs.Text;
        Assert.That(logs.Count, Is.Positive, "something was logged");
        Assert.That(text, Does.Not.Contain(secret));
        Assert.That(text, Does.Not.Contain("otpauth"));
        Assert.That(text, Does.Not.Match($@"(?<![0-9]){code}(?![0-9])"));
        foreach (var recoveryCode in RecoveryCodes(confirmed))
        {
            Assert.That(text, Does.Not.Contain(recoveryCode));
        }

        Assert.That(server.Sessions.TryGetPending(auth.Hash, out _), Is.False, "the sign-in passed");
    }
}
