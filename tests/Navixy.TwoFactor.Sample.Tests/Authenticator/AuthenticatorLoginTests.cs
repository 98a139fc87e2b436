using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Cryptography;

namespace Navixy.TwoFactor.Sample.Tests.Authenticator;

/// <summary>Signing in with an authenticator app: the library's factor choice on the wire, replays, recovery codes.</summary>
public class AuthenticatorLoginTests : AuthenticatorTests
{
    [Test]
    public async Task Enrol_ThenSignInAgain_TheAppIsTheSecondStepAndGivesAFullSession()
    {
        await AllowForAllAsync("acme.admin", "email", "totp");
        var full = await Server.FullHashWithCodeAsync(Fleet);

        var stepUp = await PassedEmailStepUpAsync(full);
        var begun = await Server.PostAsync("user/auth/totp/begin", new { step_up_hash = stepUp }, full);
        Assert.That(begun.Success, Is.True, begun.Text);
        var secret = begun.Body.GetProperty("secret").GetString()!;
        Assert.That(secret, Does.Match("^[A-Z2-7]{32}$"), "20 random bytes as unpadded Base32");
        Assert.That(
            begun.Body.GetProperty("otpauth_uri").GetString(),
            Is.EqualTo($"otpauth://totp/Acme%20Telematics:fleet%40acme.example?secret={secret}&issuer=Acme%20Telematics&algorithm=SHA1&digits=6&period=30"),
            "issuer: the dealer's name; label: the login");
        Assert.That(begun.Body.GetProperty("algorithm").GetString(), Is.EqualTo("SHA1"));
        Assert.That(begun.Body.GetProperty("digits").GetInt32(), Is.EqualTo(6));
        Assert.That(begun.Body.GetProperty("period").GetInt32(), Is.EqualTo(30));
        Assert.That(begun.CacheControl, Is.EqualTo("no-store"));

        var confirmed = await Server.PostAsync("user/auth/totp/confirm", new { code = AppCode(secret) }, full);
        Assert.That(confirmed.Success, Is.True, confirmed.Text);
        Assert.That(RecoveryCodes(confirmed), Has.Length.EqualTo(10).And.All.Match("^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$"));
        Assert.That(confirmed.CacheControl, Is.EqualTo("no-store"));

        var logout = await Server.PostAsync("user/logout", new { }, full);
        Assert.That(logout.Text, Is.EqualTo("""{"success":true}"""));
        Assert.That((await Server.PostAsync("user/get_info", new { }, full)).Code, Is.EqualTo(4), "signed out");

        NextStep();
        var emailsBefore = Server.OutboxFilesTo(Fleet).Length;
        var auth = await Server.UserAuthAsync(Fleet);
        Assert.That(
            auth.Text,
            Does.Match("""^\{"success":true,"type":"second_factor_required","factor_type":"totp","alternative_factor_types":\["email"\],"hash":"[0-9a-f]{32}"\}$"""));
        Assert.That(Server.OutboxFilesTo(Fleet), Has.Length.EqualTo(emailsBefore), "nothing is sent for an authenticator app");
        Assert.That((await Server.PostAsync("user/get_info", new { }, auth.Hash)).Code, Is.EqualTo(4), "restricted");

        var verify = await Server.VerifyAsync(auth.Hash, AppCode(secret));

        Assert.That(verify.Success, Is.True, verify.Text);
        var info = await Server.PostAsync("user/get_info", new { }, verify.Hash);
        Assert.That(info.Body.GetProperty("user_info").GetProperty("id").GetInt64(), Is.EqualTo(101));
    }

    [Test]
    public async Task Verify_SameAppCodeAtTheNextSignIn_IsRefusedAsAReplay()
    {
        var (_, secret, _) = await SignInAndEnrolAsync();
        var code = AppCode(secret);
        var first = await Server.VerifyAsync(await PendingWithAppAsync(), code);
        Assert.That(first.Success, Is.True, first.Text);

        var replay = await Server.VerifyAsync(await PendingWithAppAsync(), code);

        Assert.That(replay.Text, Is.EqualTo(WrongCodeText));
        NextStep();
        Assert.That((await Server.VerifyAsync(await PendingWithAppAsync(), AppCode(secret))).Success, Is.True, "the next step's code passes");
    }

    [Test]
    public async Task Verify_ConfirmationCode_IsNotAcceptedAgainAtSignIn()
    {
        await AllowForAllAsync("acme.admin", "email", "totp");
        var full = await Server.FullHashWithCodeAsync(Fleet);
        var secret = await BeginAsync(full);
        var code = AppCode(secret);
        Assert.That((await Server.PostAsync("user/auth/totp/confirm", new { code }, full)).Success, Is.True);

        var verify = await Server.VerifyAsync(await PendingWithAppAsync(), code);

        Assert.That(verify.Text, Is.EqualTo(WrongCodeText));
    }

    [Test]
    public async Task Verify_SameAppCodeOnConcurrentSignIns_ExactlyOnePasses()
    {
        var (_, secret, _) = await SignInAndEnrolAsync();
        // As many sign-ins as may be open at once (C9); the copies answer "already used" (C5), never counted as wrong.
        var pending = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            pending.Add(await PendingWithAppAsync());
        }

        var code = AppCode(secret);
        var answers = await Task.WhenAll(pending.Select(p => Server.VerifyAsync(p, code)));

        Assert.That(answers.Count(a => a.Success), Is.EqualTo(1));
        Assert.That(answers.Where(a => !a.Success).Select(a => a.Text), Is.All.EqualTo(WrongCodeText));
    }

    [Test]
    public async Task Verify_WrongAppCode_AnswersTheSame282AsAWrongEmailCode()
    {
        var (_, secret, _) = await SignInAndEnrolAsync();
        var pending = await PendingWithAppAsync();

        var verify = await Server.VerifyAsync(pending, SampleServer.OtherCode(AppCode(secret)));

        Assert.That(verify.Text, Is.EqualTo(WrongCodeText));
        Assert.That((await Server.VerifyAsync(pending, AppCode(secret))).Success, Is.True, "the same sign-in still passes");
    }

    [Test]
    public async Task Verify_RecoveryCode_WorksOnceInPlaceOfTheAppCode()
    {
        var (_, _, recoveryCodes) = await SignInAndEnrolAsync();

        // As a person might type it: lower case, spaces instead of dashes.
        var first = await Server.VerifyAsync(await PendingWithAppAsync(), recoveryCodes[0].ToLowerInvariant().Replace('-', ' '));
        var again = await Server.VerifyAsync(await PendingWithAppAsync(), recoveryCodes[0]);
        var another = await Server.VerifyAsync(await PendingWithAppAsync(), recoveryCodes[1]);

        Assert.That(first.Success, Is.True, first.Text);
        Assert.That(again.Text, Is.EqualTo(WrongCodeText));
        Assert.That(another.Success, Is.True, another.Text);
        Assert.That(await StatusAsync(another.Hash), Does.Contain("\"recovery_codes_left\":8"));
    }

    [Test]
    public async Task Resend_AppSignIn_Answers13AndTheSignInStillPasses()
    {
        var (_, secret, _) = await SignInAndEnrolAsync();
        var pending = await PendingWithAppAsync();

        var resend = await Server.ResendAsync(pending);

        Assert.That(resend.Code, Is.EqualTo(13), resend.Text);
        Assert.That(resend.Description, Does.Contain("user/auth/factor/switch"));
        Assert.That((await Server.VerifyAsync(pending, AppCode(secret))).Success, Is.True);
    }

    [Test]
    public async Task SignIn_OnlyTotpAllowedAndEnrolled_OffersNoAlternative()
    {
        var (_, secret, _) = await SignInAndEnrolAsync();
        await AllowForAllAsync("acme.admin", "totp");

        var auth = await Server.UserAuthAsync(Fleet);

        Assert.That(auth.Text, Does.Match("""^\{"success":true,"type":"second_factor_required","factor_type":"totp","hash":"[0-9a-f]{32}"\}$"""));
        Assert.That((await Server.PostAsync("user/auth/factor/switch", new { factor_type = "email" }, auth.Hash)).Code, Is.EqualTo(7));
        Assert.That((await Server.VerifyAsync(auth.Hash, AppCode(secret))).Success, Is.True);
    }

    [Test]
    public async Task SignIn_EnrolledButDealerAllowsOnlyEmail_TheSecondStepIsEmail()
    {
        await SignInAndEnrolAsync();
        await AllowForAllAsync("acme.admin", "email");

        var auth = await Server.UserAuthAsync(Fleet);

        Assert.That(auth.Text, Does.Match("""^\{"success":true,"type":"second_factor_required","factor_type":"email","hash":"[0-9a-f]{32}"\}$"""));
    }

    [Test]
    public async Task SignIn_OnlyTotpAllowedForAUserWhoHasNone_Answers13AndNoSession()
    {
        // One user enrolled, then the dealer requires the app alone: the user who has none cannot sign in.
        await SignInAndEnrolAsync(Fleet);
        await AllowForAllAsync("acme.admin", "totp");
        var store = Server.Sessions;
        var sessionsBefore = store.Count;
        var emailsBefore = Server.OutboxFilesTo(Plain).Length;

        var auth = await Server.UserAuthAsync(Plain);

        Assert.That(auth.Code, Is.EqualTo(13), auth.Text);
        Assert.That(auth.Description, Does.Contain("authenticator app"));
        Assert.That(auth.HasHash, Is.False);
        Assert.That(store.Count, Is.EqualTo(sessionsBefore), "no session of any kind");
        Assert.That(Server.OutboxFilesTo(Plain), Has.Length.EqualTo(emailsBefore), "no fallback to email");
    }
}
