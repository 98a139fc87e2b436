using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.SecondStep;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.AspNetCore.Tests.Sessions;

public class PendingSecondStepStoreTests
{
    private static readonly PendingSecondStep Step = new(new TwoFactorUser(new TenantId(2), 102, "south@beacon.example"), FactorTypes.Email, "secret-token");

    [Test]
    public void TryComplete_HandsTheStepOverOnce()
    {
        var store = Create();
        var handle = store.Create(Step);

        Assert.That(store.TryComplete(handle, out var completed), Is.True);
        Assert.That(completed, Is.EqualTo(Step));
        Assert.That(store.TryComplete(handle, out _), Is.False);
        Assert.That(store.TryGet(handle, out _), Is.False);
    }

    [Test]
    public void TryComplete_AfterThePendingLifetime_IsRefused()
    {
        var clock = new FakeTimeProvider();
        var store = Create(clock);
        var handle = store.Create(Step);

        clock.Advance(new TwoFactorHttpOptions().PendingLifetime);

        Assert.That(store.TryComplete(handle, out _), Is.False);
    }

    [Test]
    public void TryComplete_TwentyConcurrentCalls_ExactlyOneGetsTheStep()
    {
        var store = Create();
        var handle = store.Create(Step);
        var results = new bool[20];

        Parallel.For(0, results.Length, i => results[i] = store.TryComplete(handle, out _));

        Assert.That(results.Count(r => r), Is.EqualTo(1));
    }

    [Test]
    public void TryReplace_OnlyWhileItHoldsWhatWasRead()
    {
        var store = Create();
        var handle = store.Create(Step);
        var switched = Step with { Factor = FactorTypes.Totp };

        Assert.That(store.TryReplace(handle, Step, switched), Is.True);
        Assert.That(store.TryReplace(handle, Step, Step), Is.False, "a second replacement from the same read loses");
    }

    [Test]
    public void ToString_DoesNotShowTheChallengeToken() =>
        Assert.That(Step.ToString(), Does.Not.Contain("secret-token"));

    private static InMemoryPendingSecondStepStore Create(TimeProvider? time = null) =>
        new(time ?? TimeProvider.System, Options.Create(new TwoFactorHttpOptions()));
}
