using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Sample.Tests.Users;

/// <summary><c>user/auth/code/verify</c>: only the right code with the restricted hash gives a full session, once.</summary>
public class AuthCodeVerifyTests
{
    private const string Fleet = "fleet@acme.example";
    private const string WrongCodeText = """{"success":false,"status":{"code":282,"description":"Wrong authentication code."}}""";

    private FakeTimeProvider _clock = null!;
    private SampleServer _server = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _server = await SampleServer.StartAsync(s => s.AddSingleton<TimeProvider>(_clock));
        await _server.EnforceForAllAsync();
    }

    [TearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Verify_RightCode_AnswersAFullSessionAndEndsTheRestrictedOne()
    {
        var pending = await _server.PendingHashAsync(Fleet);

        var verify = await _server.VerifyAsync(pending, _server.LatestCode(Fleet));

        Assert.That(verify.Status, Is.EqualTo(HttpStatusCode.OK), verify.Text);
        Assert.That(verify.Hash, Does.Match("^[0-9a-f]{32}$").And.Not.EqualTo(pending));
        Assert.That((await _server.PostAsync("user/get_info", new { }, verify.Hash)).Success, Is.True);
        Assert.That((await _server.VerifyAsync(pending, _server.LatestCode(Fleet))).Code, Is.EqualTo(4), "the restricted hash has ended");
        Assert.That((await _server.ResendAsync(pending)).Code, Is.EqualTo(4));
    }

    [Test]
    public async Task Verify_WrongCode_Answers282()
    {
        var pending = await _server.PendingHashAsync(Fleet);

        var verify = await _server.VerifyAsync(pending, SampleServer.OtherCode(_server.LatestCode(Fleet)));

        Assert.That(verify.Code, Is.EqualTo(282));
        Assert.That(verify.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(verify.Text, Is.EqualTo(WrongCodeText));
        Assert.That((await _server.PostAsync("user/get_info", new { }, pending)).Code, Is.EqualTo(4), "still restricted");
    }

    [Test]
    public async Task Verify_WrongCodeThenRightCode_Passes()
    {
        var pending = await _server.PendingHashAsync(Fleet);
        var code = _server.LatestCode(Fleet);

        await _server.VerifyAsync(pending, SampleServer.OtherCode(code));
        var verify = await _server.VerifyAsync(pending, code);

        Assert.That(verify.Success, Is.True, verify.Text);
    }

    [Test]
    public async Task Verify_ExpiredCode_AnswersTheSameErrorAsAWrongCode()
    {
        var pending = await _server.PendingHashAsync(Fleet);
        var code = _server.LatestCode(Fleet);

        _clock.Advance(TimeSpan.FromMinutes(5));
        var verify = await _server.VerifyAsync(pending, code);

        Assert.That(verify.Text, Is.EqualTo(WrongCodeText));
    }

    [Test]
    public async Task Verify_CodeJustBeforeExpiry_Passes()
    {
        var pending = await _server.PendingHashAsync(Fleet);
        var code = _server.LatestCode(Fleet);

        _clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        var verify = await _server.VerifyAsync(pending, code);

        Assert.That(verify.Success, Is.True, verify.Text);
    }

    [Test]
    public async Task Verify_UnknownChallenge_AnswersTheSameErrorAsAWrongCode()
    {
        // A restricted session whose challenge the library never issued: well-formed, and malformed.
        var sessions = _server.Sessions;
        var unknown = sessions.StartPending(new TenantId(1), 101, "email", new string('A', 43));
        var malformed = sessions.StartPending(new TenantId(1), 101, "email", "not-a-challenge-token");

        Assert.That((await _server.VerifyAsync(unknown, "123456")).Text, Is.EqualTo(WrongCodeText));
        Assert.That((await _server.VerifyAsync(malformed, "123456")).Text, Is.EqualTo(WrongCodeText));
    }

    [Test]
    public async Task Verify_ChallengeOfAnotherDealer_AnswersTheSameErrorAsAWrongCode()
    {
        // User 101 of dealer 2 starts a challenge; a restricted session of dealer 1's user 101 that holds its token
        // does not pass with its code: the library binds a challenge to its tenant.
        await _server.EnforceForAllAsync("beacon.admin");
        var sessions = _server.Sessions;
        var north = await _server.PendingHashAsync("north@beacon.example");
        Assert.That(sessions.TryGetPending(north, out var northSession), Is.True);
        var forged = sessions.StartPending(new TenantId(1), 101, "email", northSession!.ChallengeToken!);

        var verify = await _server.VerifyAsync(forged, _server.LatestCode("north@beacon.example"));

        Assert.That(verify.Text, Is.EqualTo(WrongCodeText));
        Assert.That((await _server.VerifyAsync(north, _server.LatestCode("north@beacon.example"))).Success, Is.True, "the real session still passes");
    }

    [Test]
    [Description("policy.md C4: a challenge out of attempts is a lockout: 105 with when to retry, never 282, even for the right code")]
    public async Task C4_Verify_LockedChallenge_Answers105WithTheRetryTimeEvenForTheRightCode()
    {
        var pending = await _server.PendingHashAsync(Fleet);
        var code = _server.LatestCode(Fleet);
        for (var i = 0; i < 5; i++)
        {
            Assert.That((await _server.VerifyAsync(pending, SampleServer.OtherCode(code))).Code, Is.EqualTo(282));
        }

        var verify = await _server.VerifyAsync(pending, code);

        Assert.That(verify.Code, Is.EqualTo(105), verify.Text);
        Assert.That(verify.Description, Does.Contain("this sign-in; sign in again in 60 s"));
        Assert.That(verify.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(60)));
        Assert.That(verify.HasHash, Is.False);
        Assert.That((await _server.VerifyAsync(pending, code)).Code, Is.EqualTo(4), "the sign-in can never pass: its restricted session ended");
    }

    [TestCase("")]
    [TestCase("12345")]
    [TestCase("1234567")]
    [TestCase(" 123456")]
    [TestCase("１２３４５６")]
    [TestCase("12345a")]
    public async Task Verify_MalformedCode_Answers282(string code)
    {
        var pending = await _server.PendingHashAsync(Fleet);

        var verify = await _server.VerifyAsync(pending, code);

        Assert.That(verify.Text, Is.EqualTo(WrongCodeText));
    }

    [Test]
    public async Task Verify_TooManyWrongCodes_Answers105AndTheNextLoginToo()
    {
        // Ten wrong codes in a row lock the user, across challenges: four, four, then two in a third login, whose
        // challenge still has attempts left, so the lock is the user's and not the challenge's. The logins are a minute
        // apart: a login sends an email code at most once a minute (C9).
        var answers = new List<int>();
        string pending = string.Empty, code = string.Empty;
        foreach (var wrong in new[] { 4, 4, 2 })
        {
            if (answers.Count > 0)
            {
                _clock.Advance(TimeSpan.FromMinutes(1));
            }

            pending = await _server.PendingHashAsync(Fleet);
            code = _server.LatestCode(Fleet);
            for (var i = 0; i < wrong; i++)
            {
                answers.Add((await _server.VerifyAsync(pending, SampleServer.OtherCode(code))).Code);
            }
        }

        var rightCode = await _server.VerifyAsync(pending, code);
        var login = await _server.UserAuthAsync(Fleet);

        Assert.That(answers, Is.EqualTo(Enumerable.Repeat(282, 9).Append(105)));
        Assert.That(rightCode.Code, Is.EqualTo(105), "locked: even the right code does not pass");
        Assert.That(login.Code, Is.EqualTo(105), login.Text);
        Assert.That(login.HasHash, Is.False);
        foreach (var locked in new[] { rightCode, login })
        {
            Assert.That(locked.Description, Does.Contain("try again in 900 s"), "15 minutes, said in the answer");
            Assert.That(locked.RetryAfter, Is.EqualTo(TimeSpan.FromMinutes(15)));
        }
    }

    [Test]
    public async Task Verify_AfterTheLockoutPeriod_TheUserSignsInAgain()
    {
        for (var login = 0; login < 2; login++)
        {
            // A minute apart: a login sends an email code at most once a minute (C9).
            _clock.Advance(TimeSpan.FromMinutes(login));
            var pending = await _server.PendingHashAsync(Fleet);
            for (var i = 0; i < 5; i++)
            {
                await _server.VerifyAsync(pending, SampleServer.OtherCode(_server.LatestCode(Fleet)));
            }
        }

        _clock.Advance(TimeSpan.FromMinutes(14));
        var stillLocked = await _server.UserAuthAsync(Fleet);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var full = await _server.FullHashWithCodeAsync(Fleet);

        Assert.That(stillLocked.Code, Is.EqualTo(105));
        Assert.That((await _server.PostAsync("user/get_info", new { }, full)).Success, Is.True);
    }

    [Test]
    public async Task Verify_TwentyConcurrentVerifiesOfTheRightCode_ExactlyOneFullSession()
    {
        var pending = await _server.PendingHashAsync(Fleet);
        var code = _server.LatestCode(Fleet);
        var store = _server.Sessions;
        var sessions = _server.Sessions;

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _server.VerifyAsync(pending, code)));

        var passed = answers.Where(a => a.Success).ToArray();
        Assert.That(passed, Has.Length.EqualTo(1));
        Assert.That(answers.Where(a => !a.Success).Select(a => a.Code), Is.All.AnyOf(282, 4));
        Assert.That(store.Count, Is.EqualTo(1), "the restricted session was swapped for exactly one full session");
        Assert.That(sessions.TryGetFull(passed[0].Hash, out _), Is.True);
    }

    [Test]
    public async Task Verify_FullPanelOrNoHash_Answers4AndMalformedHash3()
    {
        var full = await _server.PostAsync("user/auth", new { login = "demo@acme.example", password = "demo-pass" });
        var panel = await _server.PanelHashAsync();

        Assert.That((await _server.VerifyAsync(full.Hash, "123456")).Code, Is.EqualTo(4));
        Assert.That((await _server.VerifyAsync(panel, "123456")).Code, Is.EqualTo(4));
        Assert.That((await _server.VerifyAsync(new string('0', 32), "123456")).Code, Is.EqualTo(4));
        Assert.That((await _server.PostRawAsync("user/auth/code/verify", """{"code": "123456"}""")).Code, Is.EqualTo(4));
        Assert.That((await _server.VerifyAsync("not-a-hash", "123456")).Code, Is.EqualTo(3));
    }

    [TestCase("{}", 7, "code")]
    [TestCase("""{"code": null}""", 7, "code")]
    [TestCase("""{"code": 123456}""", 5, "code")]
    [TestCase("""{"code": ["123456"]}""", 5, "code")]
    [TestCase("""{"code": """, 5, "JSON")]
    public async Task Verify_BadBody_AnswersTheCodeNamingTheProblemAndSpendsNoAttempt(string body, int expected, string named)
    {
        var pending = await _server.PendingHashAsync(Fleet);

        // As many bad bodies as the challenge has attempts: had any been counted, the right code would be refused.
        var answers = new List<WireResponse>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await _server.PostRawAsync("user/auth/code/verify", body, pending));
        }

        var right = await _server.VerifyAsync(pending, _server.LatestCode(Fleet));

        Assert.That(answers.Select(a => a.Code), Is.All.EqualTo(expected));
        Assert.That(answers[0].Description, Does.Contain(named));
        Assert.That(right.Success, Is.True, right.Text);
    }
}
