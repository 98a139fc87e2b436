using Navixy.TwoFactor.Cryptography;

namespace Navixy.TwoFactor.Sample.Tests.Authenticator;

/// <summary>
/// Sensitive changes need a fresh second step: <c>user/auth/step_up/start</c> and <c>/verify</c> answer a passed
/// <c>step_up_hash</c> that <c>user/auth/totp/disable</c> and <c>user/auth/recovery_codes/regenerate</c> take once.
/// </summary>
public class StepUpTests : AuthenticatorTests
{
    [Test]
    public async Task Disable_WithoutStepUp_Answers7AndTheAppStays()
    {
        var (full, secret, _) = await SignInAndEnrolAsync();

        var missing = await Server.PostAsync("user/auth/totp/disable", new { }, full);
        var unknown = await Server.PostAsync("user/auth/totp/disable", new { step_up_hash = new string('a', 32) }, full);
        var malformed = await Server.PostAsync("user/auth/totp/disable", new { step_up_hash = "not a hash" }, full);

        Assert.That(missing.Code, Is.EqualTo(7));
        Assert.That(missing.Description, Does.Contain("step_up_hash is required"));
        Assert.That(unknown.Code, Is.EqualTo(7));
        Assert.That(unknown.Description, Does.Contain("step_up_hash"));
        Assert.That(malformed.Code, Is.EqualTo(7));
        Assert.That(await StatusAsync(full), Does.Contain("\"enrolled\":true"));
        Assert.That((await Server.VerifyAsync(await PendingWithAppAsync(), AppCode(secret))).Success, Is.True);
    }

    [Test]
    public async Task Disable_WithAPassedStepUp_RemovesTheAppAndTheNextSignInUsesEmail()
    {
        var (full, secret, recoveryCodes) = await SignInAndEnrolAsync();
        var start = await Server.PostAsync("user/auth/step_up/start", new { }, full);
        Assert.That(
            start.Text,
            Does.Match("""^\{"success":true,"factor_type":"totp","alternative_factor_types":\["email"\],"step_up_hash":"[0-9a-f]{32}"\}$"""));
        var stepUp = start.Body.GetProperty("step_up_hash").GetString()!;
        var verify = await Server.PostAsync("user/auth/step_up/verify", new { step_up_hash = stepUp, code = AppCode(secret) }, full);
        Assert.That(verify.Text, Is.EqualTo("""{"success":true}"""));

        var disabled = await Server.PostAsync("user/auth/totp/disable", new { step_up_hash = stepUp }, full);

        Assert.That(disabled.Text, Is.EqualTo("""{"success":true}"""));
        Assert.That(await StatusAsync(full), Is.EqualTo("""{"enrolled":false,"pending_enrollment":false,"recovery_codes_left":0,"totp_allowed":true}"""));
        var auth = await Server.UserAuthAsync(Fleet);
        Assert.That(auth.Body.GetProperty("factor_type").GetString(), Is.EqualTo("email"), auth.Text);
        Assert.That((await Server.VerifyAsync(auth.Hash, recoveryCodes[0])).Text, Is.EqualTo(WrongCodeText), "the recovery codes went with the app");
    }

    [Test]
    public async Task StepUp_WorksForOneCall()
    {
        var (full, secret, _) = await SignInAndEnrolAsync();
        var stepUp = await PassedStepUpAsync(full, secret);

        var first = await Server.PostAsync("user/auth/recovery_codes/regenerate", new { step_up_hash = stepUp }, full);
        var second = await Server.PostAsync("user/auth/recovery_codes/regenerate", new { step_up_hash = stepUp }, full);
        var disable = await Server.PostAsync("user/auth/totp/disable", new { step_up_hash = stepUp }, full);

        Assert.That(first.Success, Is.True, first.Text);
        Assert.That(second.Code, Is.EqualTo(7), second.Text);
        Assert.That(disable.Code, Is.EqualTo(7), disable.Text);
        Assert.That(await StatusAsync(full), Does.Contain("\"enrolled\":true"));
    }

    [Test]
    public async Task StepUp_Concurrently_OneDisableUsesIt()
    {
        var (full, secret, _) = await SignInAndEnrolAsync();
        var stepUp = await PassedStepUpAsync(full, secret);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            Server.PostAsync("user/auth/recovery_codes/regenerate", new { step_up_hash = stepUp }, full)));

        Assert.That(answers.Count(a => a.Success), Is.EqualTo(1));
        Assert.That(answers.Where(a => !a.Success).Select(a => a.Code), Is.All.EqualTo(7));
    }

    [Test]
    public async Task StepUp_NotPassed_Answers7()
    {
        var (full, _, _) = await SignInAndEnrolAsync();
        var start = await Server.PostAsync("user/auth/step_up/start", new { }, full);

        var disabled = await Server.PostAsync("user/auth/totp/disable", new { step_up_hash = start.Body.GetProperty("step_up_hash").GetString() }, full);

        Assert.That(disabled.Code, Is.EqualTo(7));
        Assert.That(await StatusAsync(full), Does.Contain("\"enrolled\":true"));
    }

    [Test]
    public async Task StepUp_WrongCode_Answers282AndTheRightCodeStillPasses()
    {
        var (full, secret, _) = await SignInAndEnrolAsync();
        var stepUp = (await Server.PostAsync("user/auth/step_up/start", new { }, full)).Body.GetProperty("step_up_hash").GetString()!;

        var wrong = await Server.PostAsync("user/auth/step_up/verify", new { step_up_hash = stepUp, code = SampleServer.OtherCode(AppCode(secret)) }, full);
        var right = await Server.PostAsync("user/auth/step_up/verify", new { step_up_hash = stepUp, code = AppCode(secret) }, full);
        var again = await Server.PostAsync("user/auth/step_up/verify", new { step_up_hash = stepUp, code = AppCode(secret) }, full);

        Assert.That(wrong.Text, Is.EqualTo(WrongCodeText));
        Assert.That(right.Success, Is.True, right.Text);
        Assert.That(again.Code, Is.EqualTo(7), "a passed step-up is not verified again");
    }

    [Test]
    public async Task StepUp_WithARecoveryCode_Passes()
    {
        var (full, _, recoveryCodes) = await SignInAndEnrolAsync();
        var stepUp = (await Server.PostAsync("user/auth/step_up/start", new { }, full)).Body.GetProperty("step_up_hash").GetString()!;

        var verify = await Server.PostAsync("user/auth/step_up/verify", new { step_up_hash = stepUp, code = recoveryCodes[3] }, full);
        var regenerated = await Server.PostAsync("user/auth/recovery_codes/regenerate", new { step_up_hash = stepUp }, full);

        Assert.That(verify.Success, Is.True, verify.Text);
        Assert.That(regenerated.Success, Is.True, regenerated.Text);
    }

    [Test]
    public async Task StepUp_OfAnotherSessionOfTheSameUser_Answers7()
    {
        var (full, secret, _) = await SignInAndEnrolAsync();
        var other = (await Server.VerifyAsync(await PendingWithAppAsync(), AppCode(secret))).Hash;
        NextStep();
        var stepUp = await PassedStepUpAsync(full, secret);

        var disabled = await Server.PostAsync("user/auth/totp/disable", new { step_up_hash = stepUp }, other);
        var verify = await Server.PostAsync("user/auth/step_up/verify", new { step_up_hash = stepUp, code = "123456" }, other);

        Assert.That(disabled.Code, Is.EqualTo(7));
        Assert.That(verify.Code, Is.EqualTo(7));
        Assert.That((await Server.PostAsync("user/auth/totp/disable", new { step_up_hash = stepUp }, full)).Success, Is.True, "its own session may use it");
    }

    [Test]
    public async Task StepUp_PassedFiveMinutesAgo_IsNoLongerProof()
    {
        var (full, secret, _) = await SignInAndEnrolAsync();
        var stepUp = await PassedStepUpAsync(full, secret);

        Clock.Advance(TimeSpan.FromMinutes(5));
        var disabled = await Server.PostAsync("user/auth/totp/disable", new { step_up_hash = stepUp }, full);

        Assert.That(disabled.Code, Is.EqualTo(7), disabled.Text);
        Assert.That(await StatusAsync(full), Does.Contain("\"enrolled\":true"));
    }

    [Test]
    public async Task StepUp_ByEmail_SendsACodeAndRegeneratedCodesReplaceTheOldOnes()
    {
        var (full, _, oldCodes) = await SignInAndEnrolAsync();
        var emails = Server.OutboxFilesTo(Fleet).Length;
        var start = await Server.PostAsync("user/auth/step_up/start", new { factor_type = "email" }, full);
        Assert.That(
            start.Text,
            Does.Match("""^\{"success":true,"factor_type":"email","alternative_factor_types":\["totp"\],"step_up_hash":"[0-9a-f]{32}"\}$"""));
        Assert.That(Server.OutboxFilesTo(Fleet), Has.Length.EqualTo(emails + 1));
        var stepUp = start.Body.GetProperty("step_up_hash").GetString()!;
        Assert.That((await Server.PostAsync("user/auth/step_up/verify", new { step_up_hash = stepUp, code = Server.LatestCode(Fleet) }, full)).Success, Is.True);

        var regenerated = await Server.PostAsync("user/auth/recovery_codes/regenerate", new { step_up_hash = stepUp }, full);

        Assert.That(regenerated.Success, Is.True, regenerated.Text);
        Assert.That(regenerated.CacheControl, Is.EqualTo("no-store"));
        var newCodes = RecoveryCodes(regenerated);
        Assert.That(newCodes, Has.Length.EqualTo(10).And.No.AnyOf(oldCodes));
        Assert.That((await Server.VerifyAsync(await PendingWithAppAsync(), oldCodes[0])).Text, Is.EqualTo(WrongCodeText));
        Assert.That((await Server.VerifyAsync(await PendingWithAppAsync(), newCodes[0])).Success, Is.True);
    }

    [Test]
    public async Task StepUp_EmailAgainWithinAMinute_Answers15()
    {
        var (full, _, _) = await SignInAndEnrolAsync();
        Assert.That((await Server.PostAsync("user/auth/step_up/start", new { factor_type = "email" }, full)).Success, Is.True);
        var emails = Server.OutboxFilesTo(Fleet).Length;

        var tooSoon = await Server.PostAsync("user/auth/step_up/start", new { factor_type = "email" }, full);
        var app = await Server.PostAsync("user/auth/step_up/start", new { factor_type = "totp" }, full);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var later = await Server.PostAsync("user/auth/step_up/start", new { factor_type = "email" }, full);

        Assert.That(tooSoon.Code, Is.EqualTo(15), tooSoon.Text);
        Assert.That(tooSoon.Description, Does.Contain("60 s"));
        Assert.That(app.Success, Is.True, "the app sends nothing");
        Assert.That(later.Success, Is.True, later.Text);
        Assert.That(Server.OutboxFilesTo(Fleet), Has.Length.EqualTo(emails + 1));
    }

    [Test]
    public async Task StepUp_FactorNotAllowed_Answers7NamingWhatCanRun()
    {
        var (full, _, _) = await SignInAndEnrolAsync();
        await AllowForAllAsync("acme.admin", "totp");

        var start = await Server.PostAsync("user/auth/step_up/start", new { factor_type = "email" }, full);

        Assert.That(start.Code, Is.EqualTo(7), start.Text);
        Assert.That(start.Description, Does.Contain("available: totp"));
    }

    [Test]
    public async Task StepUp_NoSecondStepRequired_Answers13()
    {
        var full = (await Server.UserAuthAsync(Plain)).Hash;

        var start = await Server.PostAsync("user/auth/step_up/start", new { }, full);

        Assert.That(start.Code, Is.EqualTo(13), start.Text);
        Assert.That(start.Description, Does.Contain("panel/user/mfa/reset"));
    }

    [Test]
    public async Task Disable_NotEnrolled_Answers13()
    {
        await AllowForAllAsync("acme.admin", "email", "totp");
        var full = await Server.FullHashWithCodeAsync(Fleet);
        CooldownPassed();
        var start = await Server.PostAsync("user/auth/step_up/start", new { }, full);
        Assert.That(start.Body.GetProperty("factor_type").GetString(), Is.EqualTo("email"), start.Text);
        var stepUp = start.Body.GetProperty("step_up_hash").GetString()!;
        await Server.PostAsync("user/auth/step_up/verify", new { step_up_hash = stepUp, code = Server.LatestCode(Fleet) }, full);

        var disabled = await Server.PostAsync("user/auth/totp/disable", new { step_up_hash = stepUp }, full);

        Assert.That(disabled.Code, Is.EqualTo(13), disabled.Text);
    }

    [TestCase("""{"code": "123456"}""", 7, "step_up_hash is required")]
    [TestCase("""{"step_up_hash": 5, "code": "123456"}""", 5, "step_up_hash")]
    [TestCase("""{"step_up_hash": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}""", 7, "code is required")]
    [TestCase("""{"step_up_hash": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "code": "123456"}""", 7, "not a pending step-up")]
    public async Task StepUpVerify_BadBody_AnswersTheCodeNamingTheProblem(string body, int code, string named)
    {
        var (full, _, _) = await SignInAndEnrolAsync();

        var verify = await Server.PostRawAsync("user/auth/step_up/verify", body, full);

        Assert.That(verify.Code, Is.EqualTo(code), verify.Text);
        Assert.That(verify.Description, Does.Contain(named));
    }
}
