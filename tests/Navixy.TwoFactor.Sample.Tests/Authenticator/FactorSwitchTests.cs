using Navixy.TwoFactor.Policy;
using Microsoft.Extensions.DependencyInjection;

namespace Navixy.TwoFactor.Sample.Tests.Authenticator;

/// <summary><c>user/auth/factor/switch</c>: "use email instead" for a pending sign-in, once, to an offered factor only.</summary>
public class FactorSwitchTests : AuthenticatorTests
{
    [Test]
    public async Task Switch_ToEmail_SendsACodeToTheOutboxThatPasses()
    {
        var (_, secret, _) = await SignInAndEnrolAsync();
        var pending = await PendingWithAppAsync();
        var emailsBefore = Server.OutboxFilesTo(Fleet).Length;

        var switched = await Server.PostAsync("user/auth/factor/switch", new { factor_type = "email" }, pending);

        Assert.That(switched.Text, Is.EqualTo($$"""{"success":true,"type":"second_factor_required","factor_type":"email","hash":"{{pending}}"}"""));
        Assert.That(Server.OutboxFilesTo(Fleet), Has.Length.EqualTo(emailsBefore + 1), "an email code was sent");
        Assert.That((await Server.VerifyAsync(pending, AppCode(secret))).Text, Is.EqualTo(WrongCodeText), "the app's challenge no longer counts");
        var verify = await Server.VerifyAsync(pending, Server.LatestCode(Fleet));
        Assert.That(verify.Success, Is.True, verify.Text);
        Assert.That((await Server.PostAsync("user/get_info", new { }, verify.Hash)).Success, Is.True);
    }

    [Test]
    public async Task Switch_ToEmail_ThenResendFollowsTheEmailRules()
    {
        await SignInAndEnrolAsync();
        var pending = await PendingWithAppAsync();
        await Server.PostAsync("user/auth/factor/switch", new { factor_type = "email" }, pending);

        var tooSoon = await Server.ResendAsync(pending);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var resent = await Server.ResendAsync(pending);

        Assert.That(tooSoon.Code, Is.EqualTo(15));
        Assert.That(resent.Success, Is.True, resent.Text);
        Assert.That((await Server.VerifyAsync(pending, Server.LatestCode(Fleet))).Success, Is.True);
    }

    [Test]
    public async Task Switch_Twice_SecondAnswers7AndSendsNothing()
    {
        await SignInAndEnrolAsync();
        var pending = await PendingWithAppAsync();
        Assert.That((await Server.PostAsync("user/auth/factor/switch", new { factor_type = "email" }, pending)).Success, Is.True);
        var emails = Server.OutboxFilesTo(Fleet).Length;

        var back = await Server.PostAsync("user/auth/factor/switch", new { factor_type = "totp" }, pending);
        var again = await Server.PostAsync("user/auth/factor/switch", new { factor_type = "email" }, pending);

        Assert.That(back.Code, Is.EqualTo(7), back.Text);
        Assert.That(again.Code, Is.EqualTo(7), again.Text);
        Assert.That(again.Description, Does.Contain("factor_type"));
        Assert.That(Server.OutboxFilesTo(Fleet), Has.Length.EqualTo(emails));
    }

    [Test]
    public async Task Switch_Concurrently_OneSwitchesAndOneCodeIsSent()
    {
        await SignInAndEnrolAsync();
        var pending = await PendingWithAppAsync();
        var emails = Server.OutboxFilesTo(Fleet).Length;

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            Server.PostAsync("user/auth/factor/switch", new { factor_type = "email" }, pending)));

        Assert.That(answers.Count(a => a.Success), Is.EqualTo(1));
        Assert.That(answers.Where(a => !a.Success).Select(a => a.Code), Is.All.EqualTo(7));
        Assert.That(Server.OutboxFilesTo(Fleet), Has.Length.EqualTo(emails + 1));
    }

    [Test]
    public async Task Switch_EmailSignInWithoutAlternatives_Answers7NamingWhatIsOffered()
    {
        await AllowForAllAsync("acme.admin", "email", "totp");
        var pending = await Server.PendingHashAsync(Plain);

        var switched = await Server.PostAsync("user/auth/factor/switch", new { factor_type = "totp" }, pending);

        Assert.That(switched.Code, Is.EqualTo(7));
        Assert.That(switched.Description, Does.Contain("alternative_factor_types (none)"));
        Assert.That((await Server.VerifyAsync(pending, Server.LatestCode(Plain))).Success, Is.True, "the sign-in is unchanged");
    }

    [TestCase("""{}""", 7, "factor_type is required")]
    [TestCase("""{"factor_type": "sms"}""", 7, "unknown factor type")]
    [TestCase("""{"factor_type": 1}""", 5, "factor_type")]
    [TestCase("""[]""", 5, "JSON object")]
    public async Task Switch_BadBody_AnswersTheCodeNamingTheProblem(string body, int code, string named)
    {
        await SignInAndEnrolAsync();
        var pending = await PendingWithAppAsync();

        var switched = await Server.PostRawAsync("user/auth/factor/switch", body, pending);

        Assert.That(switched.Code, Is.EqualTo(code), switched.Text);
        Assert.That(switched.Description, Does.Contain(named));
    }

    [Test]
    public async Task Switch_WithAFullHash_Answers4()
    {
        var (full, _, _) = await SignInAndEnrolAsync();

        var switched = await Server.PostAsync("user/auth/factor/switch", new { factor_type = "email" }, full);

        Assert.That(switched.Code, Is.EqualTo(4));
    }

    [Test]
    public async Task Switch_KeepsTheRestrictedSessionRestricted()
    {
        await SignInAndEnrolAsync();
        var pending = await PendingWithAppAsync();

        await Server.PostAsync("user/auth/factor/switch", new { factor_type = "email" }, pending);

        Assert.That((await Server.PostAsync("user/get_info", new { }, pending)).Code, Is.EqualTo(4));
        Assert.That(Server.Sessions.TryGetPending(pending, out var session), Is.True);
        Assert.That(session!.Factor.ToWireName(), Is.EqualTo("email"));
    }
}
