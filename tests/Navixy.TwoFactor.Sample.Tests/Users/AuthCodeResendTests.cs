using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Navixy.TwoFactor.Sample.Tests.Users;

/// <summary><c>user/auth/code/resend</c>: at most once a minute, a new code replaces the old one.</summary>
public class AuthCodeResendTests
{
    private const string Fleet = "fleet@acme.example";

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
    public async Task Resend_WithinAMinute_Answers15WithTheWait()
    {
        var pending = await _server.PendingHashAsync(Fleet);

        var atOnce = await _server.ResendAsync(pending);
        _clock.Advance(TimeSpan.FromSeconds(59));
        var at59 = await _server.ResendAsync(pending);

        Assert.That(atOnce.Code, Is.EqualTo(15));
        Assert.That(atOnce.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(atOnce.Description, Does.Contain("60 s"));
        Assert.That(at59.Description, Does.Contain("1 s"));
        Assert.That(_server.OutboxFilesTo(Fleet), Has.Length.EqualTo(1), "nothing more was sent");
    }

    [Test]
    public async Task Resend_AfterAMinute_SendsANewCodeAndTheOldOneStopsWorking()
    {
        var pending = await _server.PendingHashAsync(Fleet);
        var oldCode = _server.LatestCode(Fleet);
        await _server.ResendAsync(pending);

        _clock.Advance(TimeSpan.FromMinutes(1));
        var resend = await _server.ResendAsync(pending);
        var newCode = _server.LatestCode(Fleet);
        var withOld = await _server.VerifyAsync(pending, oldCode);
        var withNew = await _server.VerifyAsync(pending, newCode);

        Assert.That(resend.Text, Is.EqualTo("""{"success":true}"""));
        Assert.That(_server.OutboxFilesTo(Fleet), Has.Length.EqualTo(2));
        Assert.That(withOld.Code, Is.EqualTo(282), "the old code stopped working");
        Assert.That(withNew.Success, Is.True, withNew.Text);
    }

    [Test]
    public async Task Resend_KeepsTheWrongCodeCount()
    {
        var pending = await _server.PendingHashAsync(Fleet);
        for (var i = 0; i < 4; i++)
        {
            Assert.That((await _server.VerifyAsync(pending, SampleServer.OtherCode(_server.LatestCode(Fleet)))).Code, Is.EqualTo(282));
        }

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That((await _server.ResendAsync(pending)).Success, Is.True);
        var fifthWrong = await _server.VerifyAsync(pending, SampleServer.OtherCode(_server.LatestCode(Fleet)));
        var right = await _server.VerifyAsync(pending, _server.LatestCode(Fleet));

        Assert.That(fifthWrong.Code, Is.EqualTo(282));
        Assert.That(right.Code, Is.EqualTo(105), "five wrong codes in all locked the challenge; the resend gave no new attempts");
    }

    [Test]
    public async Task Resend_FiveCodesSent_Answers15ForTheSixth()
    {
        var pending = await _server.PendingHashAsync(Fleet);
        for (var i = 0; i < 4; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            Assert.That((await _server.ResendAsync(pending)).Success, Is.True);
        }

        _clock.Advance(TimeSpan.FromMinutes(1));
        var sixth = await _server.ResendAsync(pending);

        Assert.That(sixth.Code, Is.EqualTo(15));
        Assert.That(sixth.Description, Does.Contain("sign in again"));
        Assert.That((await _server.VerifyAsync(pending, _server.LatestCode(Fleet))).Success, Is.True, "the last code still works");
    }

    [Test]
    [Description("policy.md C4: a lockout answers 105 with when to retry on every path, resend included")]
    public async Task C4_Resend_ChallengeLocked_Answers105WithTheRetryTimeAndEndsTheRestrictedSession()
    {
        var pending = await _server.PendingHashAsync(Fleet);
        var code = _server.LatestCode(Fleet);
        for (var i = 0; i < 5; i++)
        {
            await _server.VerifyAsync(pending, SampleServer.OtherCode(code));
        }

        _clock.Advance(TimeSpan.FromMinutes(1));
        var resend = await _server.ResendAsync(pending);

        Assert.That(resend.Code, Is.EqualTo(105), resend.Text);
        Assert.That(resend.Description, Does.Contain("sign in again in 60 s"));
        Assert.That(resend.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(60)));
        Assert.That((await _server.VerifyAsync(pending, code)).Code, Is.EqualTo(4), "the restricted session has ended");
        Assert.That(_server.OutboxFilesTo(Fleet), Has.Length.EqualTo(1), "no code was sent");
    }

    [Test]
    public async Task Resend_ChallengeExpired_Answers4AndEndsTheRestrictedSession()
    {
        // Restricted sessions outlive the 15-minute challenge here, so the library's answer is what ends it.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await SampleServer.StartAsync(s => s.AddSingleton<TimeProvider>(clock), "Sample:Sessions:PendingLifetime=00:30:00");
        await server.EnforceForAllAsync();
        var pending = await server.PendingHashAsync(Fleet);

        clock.Advance(TimeSpan.FromMinutes(15));
        var resend = await server.ResendAsync(pending);

        Assert.That(resend.Code, Is.EqualTo(4));
        Assert.That(server.Sessions.TryGetPending(pending, out _), Is.False);
    }

    [Test]
    public async Task Resend_CodeCannotBeDelivered_Answers1AndEndsTheRestrictedSession()
    {
        var pending = await _server.PendingHashAsync(Fleet);
        var code = _server.LatestCode(Fleet);

        // The outbox folder becomes a file: the next message cannot be written.
        Directory.Delete(_server.OutboxDirectory, recursive: true);
        await File.WriteAllTextAsync(_server.OutboxDirectory, "not a folder");
        try
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            var resend = await _server.ResendAsync(pending);

            Assert.That(resend.Code, Is.EqualTo(1));
            Assert.That((await _server.VerifyAsync(pending, code)).Code, Is.EqualTo(4));
        }
        finally
        {
            File.Delete(_server.OutboxDirectory);
        }
    }

    [Test]
    public async Task Resend_FullPanelOrNoHash_Answers4()
    {
        var full = await _server.PostAsync("user/auth", new { login = "demo@acme.example", password = "demo-pass" });
        var panel = await _server.PanelHashAsync();

        Assert.That((await _server.ResendAsync(full.Hash)).Code, Is.EqualTo(4));
        Assert.That((await _server.ResendAsync(panel)).Code, Is.EqualTo(4));
        Assert.That((await _server.PostRawAsync("user/auth/code/resend", "{}")).Code, Is.EqualTo(4));
    }
}
