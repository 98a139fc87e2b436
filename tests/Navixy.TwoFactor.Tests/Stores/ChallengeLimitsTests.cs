using FsCheck;
using FsCheck.Fluent;
using Navixy.TwoFactor.Stores;

namespace Navixy.TwoFactor.Tests.Stores;

public class ChallengeLimitsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ChallengeLimits Defaults = ChallengeLimits.From(new ChallengeOptions());

    [Test]
    public void LockUntil_Defaults_LockAtEveryTenthFailureDoublingThenUntilReset()
    {
        var locks = Enumerable.Range(1, 49)
            .Select(failures => (failures, until: Defaults.LockUntil(failures, Now)))
            .Where(x => x.until is not null)
            .Select(x => (x.failures, x.until!.Value - Now))
            .ToArray();

        Assert.That(locks, Is.EqualTo(new[]
        {
            (10, TimeSpan.FromMinutes(15)),
            (20, TimeSpan.FromMinutes(30)),
            (30, TimeSpan.FromMinutes(60)),
            (40, TimeSpan.FromMinutes(120)),
        }));
        Assert.That(Enumerable.Range(50, 50).Select(failures => Defaults.LockUntil(failures, Now)), Is.All.EqualTo(DateTimeOffset.MaxValue));
    }

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property LockUntil_AnyValidLimits_LockForGoodBeforeOneHundredAndNeverOverflow() =>
        Prop.ForAll(
            Gen.Choose(1, 50).SelectMany(threshold => Gen.Choose(threshold, 99).SelectMany(max => Gen.Choose(1, 7 * 24 * 60).Select(minutes => (threshold, max, minutes)))).ToArbitrary(),
            Gen.Choose(1, 200).ToArbitrary(),
            (limits, failures) =>
            {
                var (threshold, max, minutes) = limits;
                var l = new ChallengeLimits(5, 5, threshold, TimeSpan.FromMinutes(minutes), max);
                var until = l.LockUntil(failures, Now);
                if (failures >= max)
                {
                    return until == DateTimeOffset.MaxValue;
                }

                if (failures % threshold != 0)
                {
                    return until is null;
                }

                var previous = failures > threshold ? l.LockUntil(failures - threshold, Now) : null;
                return until > Now
                    && until - Now <= ChallengeLimits.MaxLockoutDuration
                    && (previous is null || until - Now == ChallengeLimits.MaxLockoutDuration || until - Now == 2 * (previous.Value - Now));
            });

    [Test]
    public void LockUntil_NearTheEndOfTime_Saturates() =>
        Assert.That(Defaults.LockUntil(40, DateTimeOffset.MaxValue - TimeSpan.FromMinutes(1)), Is.EqualTo(DateTimeOffset.MaxValue));
}
