using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Sample.Sessions;

namespace Navixy.TwoFactor.Sample.Tests.Sessions;

public class SessionStoreTests
{
    private static readonly TenantId Dealer = new(1);

    [Test]
    public void Create_Hashes_Are128BitHexAndDistinct()
    {
        var store = new SessionStore<UserSession>(TimeProvider.System);

        var hashes = Enumerable.Range(0, 1000).Select(_ => store.Create(new UserSession(Dealer, 1, UserSessionKind.Full), TimeSpan.FromHours(1))).ToArray();

        Assert.That(hashes, Is.All.Match("^[0-9a-f]{32}$"));
        Assert.That(hashes.Distinct().Count(), Is.EqualTo(hashes.Length));
    }

    [Test]
    public void TryGet_UntilTheLifetimeEnds_FindsTheSession()
    {
        var clock = new FakeTimeProvider();
        var store = new SessionStore<UserSession>(clock);
        var hash = store.Create(new UserSession(Dealer, 1, UserSessionKind.Full), TimeSpan.FromMinutes(10));

        clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        var before = store.TryGet(hash, out _);
        clock.Advance(TimeSpan.FromTicks(1));
        var after = store.TryGet(hash, out _);

        Assert.That(before, Is.True);
        Assert.That(after, Is.False);
    }

    [Test]
    public void TryTake_SecondTime_FindsNothing()
    {
        var store = new SessionStore<UserSession>(TimeProvider.System);
        var hash = store.Create(new UserSession(Dealer, 1, UserSessionKind.Full), TimeSpan.FromHours(1));

        Assert.That(store.TryTake(hash, out _), Is.True);
        Assert.That(store.TryTake(hash, out _), Is.False);
        Assert.That(store.TryGet(hash, out _), Is.False);
    }

    [Test]
    public void End_EndsTheSession()
    {
        var store = new SessionStore<UserSession>(TimeProvider.System);
        var hash = store.Create(new UserSession(Dealer, 1, UserSessionKind.Full), TimeSpan.FromHours(1));

        store.End(hash);

        Assert.That(store.TryGet(hash, out _), Is.False);
    }

    [Test]
    public void TwoStores_DoNotShareSessions()
    {
        var users = new SessionStore<UserSession>(TimeProvider.System);
        var other = new SessionStore<UserSession>(TimeProvider.System);
        var hash = users.Create(new UserSession(Dealer, 1, UserSessionKind.Full), TimeSpan.FromHours(1));

        Assert.That(other.TryGet(hash, out _), Is.False);
    }

    [Test]
    public void UserSession_ToString_DoesNotShowTheChallengeToken()
    {
        var session = new UserSession(Dealer, 7, UserSessionKind.SecondFactorPending) { ChallengeToken = "secret-token" };

        Assert.That(session.ToString(), Does.Not.Contain("secret-token"));
    }
}

public class UserSessionsTests
{
    private static readonly TenantId Dealer = new(1);

    [Test]
    public void TryGetFull_PendingHash_FindsNothing()
    {
        var sessions = Create();
        var pending = sessions.StartPending(Dealer, 101, "email", "token");

        Assert.That(sessions.TryGetFull(pending, out _), Is.False);
        Assert.That(sessions.TryGetPending(pending, out var session), Is.True);
        Assert.That(session!.UserId, Is.EqualTo(101));
    }

    [Test]
    public void TryGetPending_FullHash_FindsNothing()
    {
        var sessions = Create();
        var full = sessions.StartFull(Dealer, 101);

        Assert.That(sessions.TryGetPending(full, out _), Is.False);
    }

    [Test]
    public void TryUpgrade_PendingSession_EndsItAndStartsAFullOneForTheSameUser()
    {
        var sessions = Create();
        var pending = sessions.StartPending(new TenantId(2), 102, "email", "token");

        Assert.That(sessions.TryUpgrade(pending, out var full), Is.True);

        Assert.That(sessions.TryGetPending(pending, out _), Is.False);
        Assert.That(sessions.TryGetFull(full!, out var session), Is.True);
        Assert.That(session, Is.EqualTo(new UserSession(new TenantId(2), 102, UserSessionKind.Full)));
    }

    [Test]
    public void TryUpgrade_FullSession_IsRefusedAndKeepsIt()
    {
        var sessions = Create();
        var full = sessions.StartFull(Dealer, 101);

        Assert.That(sessions.TryUpgrade(full, out _), Is.False);
        Assert.That(sessions.TryGetFull(full, out _), Is.True);
    }

    [Test]
    public void TryUpgrade_AfterThePendingLifetime_IsRefused()
    {
        var clock = new FakeTimeProvider();
        var sessions = Create(clock);
        var pending = sessions.StartPending(Dealer, 101, "email", "token");

        clock.Advance(new SessionLifetimeOptions().PendingLifetime);

        Assert.That(sessions.TryUpgrade(pending, out _), Is.False);
    }

    [Test]
    public void TryUpgrade_TwentyConcurrentCalls_ExactlyOneFullSession()
    {
        var sessions = Create();
        var pending = sessions.StartPending(Dealer, 101, "email", "token");
        var results = new string?[20];

        Parallel.For(0, results.Length, i => results[i] = sessions.TryUpgrade(pending, out var full) ? full : null);

        Assert.That(results.Count(r => r is not null), Is.EqualTo(1));
    }

    private static UserSessions Create(TimeProvider? time = null) =>
        new(new SessionStore<UserSession>(time ?? TimeProvider.System), Options.Create(new SessionLifetimeOptions()));
}
