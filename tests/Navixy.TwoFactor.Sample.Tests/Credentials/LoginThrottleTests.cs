using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Sample.Credentials;

namespace Navixy.TwoFactor.Sample.Tests.Credentials;

public class LoginThrottleTests
{
    private readonly FakeTimeProvider _clock = new();

    [Test]
    public void TryBegin_AfterTheLimitOfFailures_IsRefused()
    {
        var throttle = Create(maxFailures: 3);
        for (var i = 0; i < 3; i++)
        {
            Assert.That(throttle.TryBegin("user:a"), Is.True);
            throttle.Failed("user:a");
        }

        Assert.That(throttle.TryBegin("user:a"), Is.False);
        Assert.That(throttle.TryBegin("user:b"), Is.True, "other logins are not affected");
    }

    [Test]
    public void TryBegin_LockoutEnds_AfterThePeriod()
    {
        var throttle = Create(maxFailures: 1, lockout: TimeSpan.FromMinutes(15));
        throttle.TryBegin("user:a");
        throttle.Failed("user:a");

        _clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromTicks(1));
        Assert.That(throttle.TryBegin("user:a"), Is.False);
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.That(throttle.TryBegin("user:a"), Is.True);
    }

    [Test]
    public void Succeeded_ResetsTheCount()
    {
        var throttle = Create(maxFailures: 2);
        throttle.TryBegin("user:a");
        throttle.Failed("user:a");
        throttle.TryBegin("user:a");
        throttle.Succeeded("user:a");

        throttle.TryBegin("user:a");
        throttle.Failed("user:a");

        Assert.That(throttle.TryBegin("user:a"), Is.True);
    }

    [Test]
    public void Failures_OlderThanThePeriod_AreForgotten()
    {
        var throttle = Create(maxFailures: 2, lockout: TimeSpan.FromMinutes(15));
        throttle.TryBegin("user:a");
        throttle.Failed("user:a");

        _clock.Advance(TimeSpan.FromMinutes(15));
        throttle.TryBegin("user:a");
        throttle.Failed("user:a");

        Assert.That(throttle.TryBegin("user:a"), Is.True);
    }

    [Test]
    public void TryBegin_ConcurrentAttempts_ReserveNoMoreThanTheLimit()
    {
        var throttle = Create(maxFailures: 5);
        var admitted = new bool[50];

        Parallel.For(0, admitted.Length, i => admitted[i] = throttle.TryBegin("user:a"));

        Assert.That(admitted.Count(a => a), Is.EqualTo(5));
    }

    private LoginThrottle Create(int maxFailures, TimeSpan? lockout = null) =>
        new(_clock, Options.Create(new CredentialOptions { MaxFailedLogins = maxFailures, LockoutPeriod = lockout ?? TimeSpan.FromMinutes(15) }));
}
