using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Sample.Tests.Users;

/// <summary>The login's first step and what follows it; a fresh server for every test.</summary>
public class UserAuthTests
{
    private SampleServer _server = null!;

    [SetUp]
    public async Task StartAsync() => _server = await SampleServer.StartAsync(null, "Sample:Credentials:MaxFailedLogins=3");

    [TearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCase("fleet@acme.example", 101, "account")]
    [TestCase("dispatcher@acme.example", 102, "sub_user")]
    [TestCase("imported@acme.example", 104, "account")]
    [TestCase("north@beacon.example", 101, "account")]
    public async Task Auth_NoSecondStepRequired_AnswersAFullSessionThatGetInfoAccepts(string login, long id, string kind)
    {
        var auth = await _server.UserAuthAsync(login);

        Assert.That(auth.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(auth.Hash, Does.Match("^[0-9a-f]{32}$"));
        Assert.That(auth.Body.TryGetProperty("type", out _), Is.False, "a full session is not a second-factor answer");
        var info = await _server.PostAsync("user/get_info", new { }, auth.Hash);
        Assert.That(info.Success, Is.True, info.Text);
        var user = info.Body.GetProperty("user_info");
        Assert.That(user.GetProperty("id").GetInt64(), Is.EqualTo(id));
        Assert.That(user.GetProperty("login").GetString(), Is.EqualTo(login));
        Assert.That(user.GetProperty("kind").GetString(), Is.EqualTo(kind));
    }

    [Test]
    public async Task Auth_SameIdInTwoDealers_SessionsNameTheirOwnDealer()
    {
        var acme = await _server.UserAuthAsync("fleet@acme.example");
        var beacon = await _server.UserAuthAsync("north@beacon.example");

        var acmeInfo = (await _server.PostAsync("user/get_info", new { }, acme.Hash)).Body.GetProperty("user_info");
        var beaconInfo = (await _server.PostAsync("user/get_info", new { }, beacon.Hash)).Body.GetProperty("user_info");

        Assert.That(acmeInfo.GetProperty("id").GetInt64(), Is.EqualTo(beaconInfo.GetProperty("id").GetInt64()));
        Assert.That(acmeInfo.GetProperty("dealer_id").GetInt64(), Is.EqualTo(1));
        Assert.That(beaconInfo.GetProperty("dealer_id").GetInt64(), Is.EqualTo(2));
    }

    [TestCase("fleet@acme.example")]
    [TestCase("dispatcher@acme.example")]
    [TestCase("driver@acme.example")]
    [TestCase("imported@acme.example")]
    [TestCase("plain@acme.example")]
    public async Task Auth_RequiredUser_GetsOnlyARestrictedSession(string login)
    {
        await _server.EnforceForAllAsync("acme.admin");
        var store = _server.Sessions;
        var sessions = _server.Sessions;

        var auth = await _server.UserAuthAsync(login);

        Assert.That(auth.Success, Is.True, auth.Text);
        Assert.That(auth.Body.GetProperty("type").GetString(), Is.EqualTo("second_factor_required"));
        Assert.That(auth.Body.GetProperty("factor_type").GetString(), Is.EqualTo("email"));
        Assert.That(store.Count, Is.EqualTo(1), "one session was created");
        Assert.That(sessions.TryGetFull(auth.Hash, out _), Is.False, "no full session");
        Assert.That(sessions.TryGetPending(auth.Hash, out var pending), Is.True);
        Assert.That(auth.Text, Does.Not.Contain(pending!.ChallengeToken!), "the challenge token stays on the server");
        Assert.That(_server.OutboxFilesTo(login), Has.Length.EqualTo(1), "a code was sent to the user");
    }

    [Test]
    public async Task Auth_OnlyTotpAllowedAndNoneEnrolled_Answers13AndNoSessionAtAll()
    {
        await _server.EnforceForAllAsync("acme.admin", factorType: "totp");
        var sessions = _server.Sessions;

        var auth = await _server.UserAuthAsync("fleet@acme.example");

        Assert.That(auth.Code, Is.EqualTo(13), auth.Text);
        Assert.That(auth.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(auth.Description, Does.Contain("authenticator app").And.Contain("No session"));
        Assert.That(auth.HasHash, Is.False);
        Assert.That(sessions.Count, Is.Zero, "no user session of any kind was created");
        Assert.That(_server.OutboxFilesTo("fleet@acme.example"), Is.Empty, "no fallback to email");
    }

    [Test]
    public async Task Auth_CodeCannotBeDelivered_Answers1AndNoSessionAtAll()
    {
        var notADirectory = Path.GetTempFileName();
        try
        {
            await using var server = await SampleServer.StartAsync(null, "Sample:Outbox:Directory=" + notADirectory);
            await server.EnforceForAllAsync();
            var sessions = server.Sessions;

            var auth = await server.UserAuthAsync("fleet@acme.example");

            Assert.That(auth.Code, Is.EqualTo(1), auth.Text);
            Assert.That(auth.HasHash, Is.False);
            Assert.That(sessions.Count, Is.Zero);
        }
        finally
        {
            File.Delete(notADirectory);
        }
    }

    [Test]
    public async Task Auth_DemoUser_AfterEnforceForAll_GetsAFullSession()
    {
        await _server.EnforceForAllAsync("acme.admin");

        var auth = await _server.UserAuthAsync("demo@acme.example");

        Assert.That(auth.Success, Is.True, auth.Text);
        var info = await _server.PostAsync("user/get_info", new { }, auth.Hash);
        Assert.That(info.Body.GetProperty("user_info").GetProperty("demo").GetBoolean(), Is.True);
    }

    [Test]
    public async Task Auth_EnforcedInOneDealer_OtherDealersUsersStillSignIn()
    {
        await _server.EnforceForAllAsync("acme.admin");

        var auth = await _server.UserAuthAsync("north@beacon.example");

        Assert.That(auth.Success, Is.True, auth.Text);
    }

    [Test]
    public async Task Auth_AccountSelected_ItsSubUsersAreRequiredToo()
    {
        var panel = await _server.PanelHashAsync();
        await _server.PostAsync("panel/user/mfa/settings/update", new { target = new { type = "selected", ids = new[] { 101 } }, settings = new { type = "allowed", factor_types = new[] { "email" } } }, panel);

        var driver = await _server.UserAuthAsync("driver@acme.example");
        var plain = await _server.UserAuthAsync("plain@acme.example");

        Assert.That(driver.Body.GetProperty("type").GetString(), Is.EqualTo("second_factor_required"), driver.Text);
        Assert.That(plain.Success, Is.True);
        Assert.That(plain.Body.TryGetProperty("type", out _), Is.False, "an unselected account signs in straight away");
    }

    [Test]
    public async Task Auth_SecondStepAvailable_AnswersARestrictedHashThatOrdinaryCallsRefuse()
    {
        await using var server = await SampleServer.StartAsync();
        var panel = await server.PanelHashAsync();
        await server.PostAsync("panel/user/mfa/settings/update", new { target = new { type = "all" }, settings = new { type = "allowed", factor_types = new[] { "email" } } }, panel);

        var auth = await server.UserAuthAsync("fleet@acme.example");

        Assert.That(auth.Success, Is.True, auth.Text);
        Assert.That(auth.Body.GetProperty("type").GetString(), Is.EqualTo("second_factor_required"));
        Assert.That(auth.Body.GetProperty("factor_type").GetString(), Is.EqualTo("email"));
        Assert.That(auth.Hash, Does.Match("^[0-9a-f]{32}$"));
        var info = await server.PostAsync("user/get_info", new { }, auth.Hash);
        Assert.That(info.Code, Is.EqualTo(4));
        var sessions = server.Sessions;
        Assert.That(sessions.TryGetPending(auth.Hash, out var pending), Is.True);
        Assert.That(pending!.ChallengeToken, Has.Length.GreaterThan(0), "the challenge token stays on the server");
        Assert.That(auth.Text, Does.Not.Contain(pending.ChallengeToken));
    }

    [Test]
    public async Task Auth_ResolverFails_Answers1AndGrantsNoSession()
    {
        await using var server = await SampleServer.StartAsync(s => s.AddSingleton<ITwoFactorResolver>(new FailingResolver()));
        var sessions = server.Sessions;

        var auth = await server.UserAuthAsync("plain@acme.example");

        Assert.That(auth.Code, Is.EqualTo(1));
        Assert.That(auth.Status, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(auth.Description, Does.Not.Contain("store"), "no details of the failure");
        Assert.That(sessions.Count, Is.Zero);
    }

    [Test]
    public async Task Auth_WrongPassword_Answers102()
    {
        var auth = await _server.PostAsync("user/auth", new { login = "plain@acme.example", password = "plain-pass " });

        Assert.That(auth.Code, Is.EqualTo(102));
        Assert.That(auth.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(auth.HasHash, Is.False);
    }

    [Test]
    public async Task Auth_UnknownLogin_Answers102LikeAWrongPassword()
    {
        var unknown = await _server.PostAsync("user/auth", new { login = "nobody@acme.example", password = "x" });
        var wrong = await _server.PostAsync("user/auth", new { login = "plain@acme.example", password = "x" });

        Assert.That(unknown.Code, Is.EqualTo(102));
        Assert.That(unknown.Text, Is.EqualTo(wrong.Text));
    }

    [Test]
    public async Task Auth_LoginInOtherCaseAndSpaces_IsTheSameLogin()
    {
        var auth = await _server.PostAsync("user/auth", new { login = "  Plain@ACME.example ", password = "plain-pass" });

        Assert.That(auth.Success, Is.True, auth.Text);
    }

    [Test]
    public async Task Auth_PanelLogin_IsNotAUserLogin()
    {
        var auth = await _server.PostAsync("user/auth", new { login = "acme.admin", password = "acme-admin-pass" });

        Assert.That(auth.Code, Is.EqualTo(102));
    }

    [Test]
    public async Task Auth_TooManyWrongPasswords_Answers105EvenForTheRightPassword()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.That((await _server.PostAsync("user/auth", new { login = "plain@acme.example", password = "guess" + i })).Code, Is.EqualTo(102));
        }

        var right = await _server.UserAuthAsync("plain@acme.example");
        var otherLogin = await _server.UserAuthAsync("fleet@acme.example");

        Assert.That(right.Code, Is.EqualTo(105));
        Assert.That(right.HasHash, Is.False);
        Assert.That(otherLogin.Success, Is.True, "the counter is per login");
    }

    [Test]
    public async Task Auth_UnknownLogin_IsCountedLikeAKnownOne()
    {
        for (var i = 0; i < 3; i++)
        {
            await _server.PostAsync("user/auth", new { login = "nobody@acme.example", password = "guess" + i });
        }

        var fourth = await _server.PostAsync("user/auth", new { login = "nobody@acme.example", password = "guess" });

        Assert.That(fourth.Code, Is.EqualTo(105));
    }

    [Test]
    public async Task Auth_RightPasswordBeforeTheLimit_StartsTheCountAgain()
    {
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 2; i++)
            {
                await _server.PostAsync("user/auth", new { login = "plain@acme.example", password = "guess" + i });
            }

            var right = await _server.UserAuthAsync("plain@acme.example");
            Assert.That(right.Success, Is.True, $"round {round}: {right.Text}");
        }
    }

    [Test]
    public async Task Auth_AfterTheLockoutPeriod_SignsInAgain()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await SampleServer.StartAsync(
            s => s.AddSingleton<TimeProvider>(clock),
            "Sample:Credentials:MaxFailedLogins=3",
            "Sample:Credentials:LockoutPeriod=00:15:00");
        for (var i = 0; i < 3; i++)
        {
            await server.PostAsync("user/auth", new { login = "plain@acme.example", password = "guess" + i });
        }

        clock.Advance(TimeSpan.FromMinutes(14));
        var locked = await server.UserAuthAsync("plain@acme.example");
        clock.Advance(TimeSpan.FromMinutes(1));
        var unlocked = await server.UserAuthAsync("plain@acme.example");

        Assert.That(locked.Code, Is.EqualTo(105));
        Assert.That(unlocked.Success, Is.True, unlocked.Text);
    }

    [Test]
    public async Task Auth_ConcurrentWrongPasswords_NoMoreThanTheLimitAreChecked()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            _server.PostAsync("user/auth", new { login = "plain@acme.example", password = "guess" + i })));

        Assert.That(answers.Count(a => a.Code == 102), Is.EqualTo(3));
        Assert.That(answers.Count(a => a.Code == 105), Is.EqualTo(9));
    }

    [TestCase("""{"password": "x"}""", 7, "login")]
    [TestCase("""{"login": "plain@acme.example"}""", 7, "password")]
    [TestCase("""{"login": ["plain@acme.example"], "password": "x"}""", 5, "login")]
    [TestCase("""{"login": "plain@acme.example", "password": 1}""", 5, "password")]
    [TestCase("""{"login": "plain@acme.example", "password": """, 5, "JSON")]
    public async Task Auth_BadBody_AnswersTheCodeNamingTheProblem(string body, int code, string named)
    {
        var auth = await _server.PostRawAsync("user/auth", body);

        Assert.That(auth.Code, Is.EqualTo(code));
        Assert.That(auth.Description, Does.Contain(named));
    }

    [Test]
    public async Task Auth_OverlongLogin_Answers7()
    {
        var auth = await _server.PostAsync("user/auth", new { login = new string('a', 300), password = "x" });

        Assert.That(auth.Code, Is.EqualTo(7));
    }

    private sealed class FailingResolver : ITwoFactorResolver
    {
        public ValueTask<Requirement> ResolveAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The policy store is down.");
    }
}
