using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Sample.Users;

/// <summary>
/// The second step over the library: <see cref="ITwoFactorChallenges.StartAsync"/> for (dealer, user id) lets the
/// library pick the factor (an enrolled authenticator app before email; an email code goes through the registered
/// <see cref="IEmailCodeSender"/>), <see cref="ITwoFactorChallenges.StartWithFactorAsync"/> runs the one the user chose.
/// Only a started challenge begins the step; every other answer refuses, none grants a session.
/// </summary>
internal sealed partial class ChallengeSecondStep(ITwoFactorChallenges challenges, ILogger<ChallengeSecondStep> logger) : ISecondStep
{
    public async ValueTask<SecondStepStart> BeginAsync(SampleUser user, FactorTypes factor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var start = factor == FactorTypes.None
            ? await challenges.StartAsync(user.Dealer, user.Id, cancellationToken)
            : await challenges.StartWithFactorAsync(user.Dealer, user.Id, factor, cancellationToken);
        switch (start.Outcome)
        {
            case ChallengeStartOutcome.Started when start.Token is { } token && start.Factor.ToWireName() is not null:
                return SecondStepStart.Started(start.Factor, token, start.AlternativeFactors);

            case ChallengeStartOutcome.PrincipalLocked:
                return SecondStepStart.PrincipalLocked(start.LockedUntil);

            case ChallengeStartOutcome.TooSoon:
                // C9: nothing was sent. The library reserves the principal's send atomically, so concurrent starts
                // (logins, switches, step-ups) send one code in all.
                return SecondStepStart.TooSoon(start.RetryAfter);

            case ChallengeStartOutcome.FactorUnavailable:
                return SecondStepStart.NotAvailable(start.AlternativeFactors);

            case ChallengeStartOutcome.EnrollmentRequired:
                return SecondStepStart.EnrollmentRequired;

            case ChallengeStartOutcome.NotRequired:
                // At a login, the setting changed between the resolver's answer and this start: the user signs in
                // again rather than being waved through on a stale decision.
                LogNotStarted(logger, user.Id, user.Dealer.Value, start.Outcome);
                return SecondStepStart.NotRequired;

            default:
                LogNotStarted(logger, user.Id, user.Dealer.Value, start.Outcome);
                return SecondStepStart.Failed;
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "No second step was started for user {UserId} of dealer {DealerId}: {Outcome}")]
    private static partial void LogNotStarted(ILogger logger, long userId, long dealerId, ChallengeStartOutcome outcome);
}
