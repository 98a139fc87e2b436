using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Tests.Challenges;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Tests.Totp;

/// <summary>
/// policy.md G1 over random histories of starts, clock moves, period changes and admin resets, checked against a naive
/// model: a principal without the authenticator it needs records its start at its first start while the tenant has a
/// period; every start then answers enrol now until start + period while before it, enrolment required with that end from
/// it on, and enrolment required without an end while the tenant has no period; an admin reset forgets the start.
/// </summary>
public class EnrollmentPeriodProperties
{
    private enum Kind
    {
        Start,
        Advance,
        SetPeriod,
        Reset,
    }

    private static Arbitrary<(Kind Kind, int Minutes)[]> Histories =>
        Gen.OneOf(
                Gen.Constant(Kind.Start).Select(k => (k, 0)),
                // Few, round values, so that starts land exactly at T (the boundary) often.
                Gen.Elements(0, 1, 30, 60, 90).Select(m => (Kind.Advance, m)),
                Gen.Elements(0, 30, 60, 90, 120, 90 * 24 * 60).Select(m => (Kind.SetPeriod, m)),
                Gen.Constant(Kind.Reset).Select(k => (k, 0)))
            .ArrayOf()
            .Select(ops => ops.Take(40).ToArray())
            .ToArbitrary();

    [FsCheck.NUnit.Property(MaxTest = 150)]
    public Property G1_EveryStart_AnswersAsTheModel() =>
        Prop.ForAll(Histories, history =>
        {
            using var host = ChallengeTestHost.CreateAsync(factors: FactorTypes.Totp).GetAwaiter().GetResult();
            var periods = host.Provider.GetRequiredService<ITwoFactorEnrollmentPeriods>();
            var period = TimeSpan.Zero;
            DateTimeOffset? started = null;
            var step = 0;
            var atTheEnd = false;
            foreach (var (kind, minutes) in history)
            {
                step++;
                var now = host.Time.GetUtcNow();
                switch (kind)
                {
                    case Kind.Advance:
                        host.Time.Advance(TimeSpan.FromMinutes(minutes));
                        break;

                    case Kind.SetPeriod:
                        period = TimeSpan.FromMinutes(minutes);
                        if (periods.SetPeriodAsync(host.Tenant, period).AsTask().GetAwaiter().GetResult() != true)
                        {
                            return false.Label($"step {step}: setting {period} was refused");
                        }

                        break;

                    case Kind.Reset:
                        var reset = host.Administration.ResetAsync(host.Tenant, ChallengeTestHost.Account).AsTask().GetAwaiter().GetResult();
                        var expectedReset = started is null ? TotpEnrollmentOutcome.NotEnrolled : TotpEnrollmentOutcome.Reset;
                        if (reset.Outcome != expectedReset)
                        {
                            return false.Label($"step {step}: reset answered {reset.Outcome}, the model {expectedReset}");
                        }

                        started = null;
                        break;

                    default:
                        if (started is null && period > TimeSpan.Zero)
                        {
                            started = now;
                        }

                        var end = period > TimeSpan.Zero && started is { } s ? s + period : (DateTimeOffset?)null;
                        var expected = end is { } t && now < t ? ChallengeStartResult.EnrollNow(t) : ChallengeStartResult.EnrollmentRequired(end);
                        atTheEnd |= end == now;
                        var answer = host.Challenges.StartAsync(host.Tenant, ChallengeTestHost.Account).AsTask().GetAwaiter().GetResult();
                        if (answer != expected)
                        {
                            return false.Label($"step {step} at {now:O}: start answered {answer}, the model {expected}");
                        }

                        break;
                }
            }

            return true.ToProperty().Classify(atTheEnd, "a start exactly at T");
        });
}
