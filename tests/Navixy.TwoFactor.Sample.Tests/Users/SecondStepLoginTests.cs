using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Navixy.TwoFactor.Sample.Tests.Users;

/// <summary>The whole login with the second step, as a client sees it: over HTTP, with the code from the outbox files.</summary>
public class SecondStepLoginTests
{
    private SampleServer _server = null!;

    [SetUp]
    public async Task StartAsync() => _server = await SampleServer.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Login_EnforcedForAll_CodeFromTheOutboxGivesAFullSession()
    {
        // Enforce for all through the Panel API.
        var panel = await _server.PanelHashAsync();
        var update = await _server.PostAsync(
            "panel/user/mfa/settings/update",
            new { target = new { type = "all" }, settings = new { type = "allowed", factor_types = new[] { "email" } } },
            panel);
        Assert.That(update.Success, Is.True, update.Text);

        // user/auth: the second factor is required; the hash is restricted.
        var auth = await _server.UserAuthAsync("fleet@acme.example");
        Assert.That(auth.Text, Does.Match("""^\{"success":true,"type":"second_factor_required","factor_type":"email","hash":"[0-9a-f]{32}"\}$"""));
        Assert.That((await _server.PostAsync("user/get_info", new { }, auth.Hash)).Code, Is.EqualTo(4));

        // The code, as the user reads it from the (stand-in) email.
        var files = _server.OutboxFilesTo("fleet@acme.example");
        Assert.That(files, Has.Length.EqualTo(1));
        var message = await File.ReadAllTextAsync(files[0]);
        Assert.That(message, Does.Contain("DEVELOPMENT OUTBOX: stand-in for email"));
        var code = _server.LatestCode("fleet@acme.example");
        Assert.That(code, Does.Match("^[0-9]{6}$"));

        var verify = await _server.VerifyAsync(auth.Hash, code);
        Assert.That(verify.Success, Is.True, verify.Text);

        var info = await _server.PostAsync("user/get_info", new { }, verify.Hash);
        Assert.That(info.Success, Is.True, info.Text);
        Assert.That(info.Body.GetProperty("user_info").GetProperty("id").GetInt64(), Is.EqualTo(101));
        Assert.That(info.Body.GetProperty("user_info").GetProperty("dealer_id").GetInt64(), Is.EqualTo(1));
    }

    [Test]
    public async Task Login_RestrictedHash_IsRefusedOnPanelCalls()
    {
        await _server.EnforceForAllAsync();
        var pending = await _server.PendingHashAsync("fleet@acme.example");

        var read = await _server.PostAsync("panel/user/mfa/settings/read", new { user_id = 101 }, pending);
        var readDefault = await _server.PostAsync("panel/user/mfa/settings/default/read", new { }, pending);

        Assert.That(read.Code, Is.EqualTo(4));
        Assert.That(readDefault.Code, Is.EqualTo(4));
    }

    [Test]
    public async Task Login_FullUserHash_IsRefusedOnPanelCalls()
    {
        await _server.EnforceForAllAsync();
        var full = await _server.FullHashWithCodeAsync("fleet@acme.example");

        var read = await _server.PostAsync("panel/user/mfa/settings/read", new { user_id = 101 }, full);

        Assert.That(read.Code, Is.EqualTo(4));
    }

    [TestCase("dispatcher@acme.example", 102, "sub_user")]
    [TestCase("driver@acme.example", 103, "sub_user")]
    [TestCase("imported@acme.example", 104, "account")]
    public async Task Login_SubUsersAndImportedUsers_InheritEnforceForAll(string login, long id, string kind)
    {
        await _server.EnforceForAllAsync();

        var full = await _server.FullHashWithCodeAsync(login);

        var info = (await _server.PostAsync("user/get_info", new { }, full)).Body.GetProperty("user_info");
        Assert.That(info.GetProperty("id").GetInt64(), Is.EqualTo(id));
        Assert.That(info.GetProperty("kind").GetString(), Is.EqualTo(kind));
    }

    [Test]
    public async Task Login_SubUser_FollowsItsAccountSelected()
    {
        var panel = await _server.PanelHashAsync();
        await _server.PostAsync(
            "panel/user/mfa/settings/update",
            new { target = new { type = "selected", ids = new[] { 101 } }, settings = new { type = "allowed", factor_types = new[] { "email" } } },
            panel);

        var full = await _server.FullHashWithCodeAsync("dispatcher@acme.example");

        Assert.That((await _server.PostAsync("user/get_info", new { }, full)).Success, Is.True);
    }

    [Test]
    public async Task Login_DemoUser_GetsAFullSessionStraightAwayAndNoCode()
    {
        await _server.EnforceForAllAsync();

        var auth = await _server.UserAuthAsync("demo@acme.example");

        Assert.That(auth.Success, Is.True, auth.Text);
        Assert.That(auth.Body.TryGetProperty("type", out _), Is.False);
        Assert.That((await _server.PostAsync("user/get_info", new { }, auth.Hash)).Success, Is.True);
        Assert.That(_server.OutboxFilesTo("demo@acme.example"), Is.Empty);
    }

    [Test]
    public async Task Login_SameUserIdInTwoDealers_CodesDoNotCross()
    {
        await _server.EnforceForAllAsync("acme.admin");
        await _server.EnforceForAllAsync("beacon.admin");
        var acme = await _server.PendingHashAsync("fleet@acme.example");
        var beacon = await _server.PendingHashAsync("north@beacon.example");
        var acmeCode = _server.LatestCode("fleet@acme.example");
        var beaconCode = _server.LatestCode("north@beacon.example");
        Assume.That(acmeCode, Is.Not.EqualTo(beaconCode), "two random codes happen to be equal one time in a million");

        var crossed = await _server.VerifyAsync(beacon, acmeCode);
        var acmeFull = await _server.VerifyAsync(acme, acmeCode);
        var beaconFull = await _server.VerifyAsync(beacon, beaconCode);

        Assert.That(crossed.Code, Is.EqualTo(282));
        var acmeInfo = (await _server.PostAsync("user/get_info", new { }, acmeFull.Hash)).Body.GetProperty("user_info");
        var beaconInfo = (await _server.PostAsync("user/get_info", new { }, beaconFull.Hash)).Body.GetProperty("user_info");
        Assert.That(acmeInfo.GetProperty("dealer_id").GetInt64(), Is.EqualTo(1));
        Assert.That(beaconInfo.GetProperty("dealer_id").GetInt64(), Is.EqualTo(2));
        Assert.That(acmeInfo.GetProperty("id").GetInt64(), Is.EqualTo(beaconInfo.GetProperty("id").GetInt64()));
    }

    [Test]
    public async Task Login_EnforcedInOneDealer_SameIdInTheOtherSignsInStraightAway()
    {
        await _server.EnforceForAllAsync("acme.admin");

        var acme = await _server.UserAuthAsync("fleet@acme.example");
        var beacon = await _server.UserAuthAsync("north@beacon.example");

        Assert.That(acme.Body.GetProperty("type").GetString(), Is.EqualTo("second_factor_required"));
        Assert.That(beacon.Body.TryGetProperty("type", out _), Is.False, beacon.Text);
        Assert.That(_server.OutboxFilesTo("north@beacon.example"), Is.Empty);
    }

    [Test]
    public async Task Login_UserLockedInOneDealer_SameIdInTheOtherIsNotLocked()
    {
        // Logins of one user a minute apart (C9: at most one email code a minute), on a fake clock.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await SampleServer.StartAsync(s => s.AddSingleton<TimeProvider>(clock));
        await server.EnforceForAllAsync("acme.admin");
        await server.EnforceForAllAsync("beacon.admin");
        for (var login = 0; login < 2; login++)
        {
            clock.Advance(TimeSpan.FromMinutes(login));
            var pending = await server.PendingHashAsync("fleet@acme.example");
            for (var i = 0; i < 5; i++)
            {
                await server.VerifyAsync(pending, SampleServer.OtherCode(server.LatestCode("fleet@acme.example")));
            }
        }

        var acme = await server.UserAuthAsync("fleet@acme.example");
        var beacon = await server.FullHashWithCodeAsync("north@beacon.example");

        Assert.That(acme.Code, Is.EqualTo(105), acme.Text);
        Assert.That((await server.PostAsync("user/get_info", new { }, beacon)).Success, Is.True);
    }

    [Test]
    public async Task Login_TurnedOffAgain_SignsInStraightAway()
    {
        await _server.EnforceForAllAsync();
        var panel = await _server.PanelHashAsync();
        await _server.PostAsync("panel/user/mfa/settings/update", new { target = new { type = "all" }, settings = new { type = "disallowed" } }, panel);

        var auth = await _server.UserAuthAsync("fleet@acme.example");

        Assert.That(auth.Body.TryGetProperty("type", out _), Is.False, auth.Text);
        Assert.That(_server.Sessions.TryGetFull(auth.Hash, out _), Is.True);
    }
}
