using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.AspNetCore.Sessions;

namespace Navixy.TwoFactor.AspNetCore.Tests.Sessions;

public class SessionHandleStoreTests
{
    [Test]
    public void Create_Hashes_Are128BitHexAndDistinct()
    {
        var store = new SessionHandleStore<string>(TimeProvider.System);

        var hashes = Enumerable.Range(0, 1000).Select(_ => store.Create("session of user 1", TimeSpan.FromHours(1))).ToArray();

        Assert.That(hashes, Is.All.Match("^[0-9a-f]{32}$"));
        Assert.That(hashes.Distinct().Count(), Is.EqualTo(hashes.Length));
    }

    [Test]
    public void TryGet_UntilTheLifetimeEnds_FindsTheSession()
    {
        var clock = new FakeTimeProvider();
        var store = new SessionHandleStore<string>(clock);
        var hash = store.Create("session of user 1", TimeSpan.FromMinutes(10));

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
        var store = new SessionHandleStore<string>(TimeProvider.System);
        var hash = store.Create("session of user 1", TimeSpan.FromHours(1));

        Assert.That(store.TryTake(hash, out _), Is.True);
        Assert.That(store.TryTake(hash, out _), Is.False);
        Assert.That(store.TryGet(hash, out _), Is.False);
    }

    [Test]
    public void End_EndsTheSession()
    {
        var store = new SessionHandleStore<string>(TimeProvider.System);
        var hash = store.Create("session of user 1", TimeSpan.FromHours(1));

        store.End(hash);

        Assert.That(store.TryGet(hash, out _), Is.False);
    }

    [Test]
    public void TwoStores_DoNotShareSessions()
    {
        var users = new SessionHandleStore<string>(TimeProvider.System);
        var other = new SessionHandleStore<string>(TimeProvider.System);
        var hash = users.Create("session of user 1", TimeSpan.FromHours(1));

        Assert.That(other.TryGet(hash, out _), Is.False);
    }
}
