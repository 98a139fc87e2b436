using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Sample.Users;

/// <summary>
/// The second step over the library: <see cref="ITwoFactorChallenges.StartAsync"/> for (dealer, user id) creates a
/// challenge and sends its code through the registered <see cref="IEmailCodeSender"/>. Only a started challenge
/// begins the step; every other answer refuses the login, none grants a session.
/// </summary>
internal sealed partial class EmailSecondStep(ITwoFactorChallenges challenges, ILogger<EmailSecondStep> logger) : ISecondStep
{
    public async ValueTask<SecondStepStart> BeginAsync(SampleUser user, Requirement requirement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var start = await challenges.StartAsync(user.Dealer, user.Id, cancellationToken);
        switch (start.Outcome)
        {
            case ChallengeStartOutcome.Started when start.Token is { } token:
                return SecondStepStart.Started(start.Factor.ToWireName() ?? "email", token);

            case ChallengeStartOutcome.PrincipalLocked:
                return SecondStepStart.PrincipalLocked;

            case ChallengeStartOutcome.FactorUnavailable:
                return SecondStepStart.NotAvailable;

            default:
                // NotRequired here means the setting changed between the resolver's answer and this start: the
                // user signs in again rather than being waved through on a stale decision. The rest are failures.
                LogNotStarted(logger, user.Id, user.Dealer.Value, start.Outcome);
                return SecondStepStart.Failed;
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "No second step was started for user {UserId} of dealer {DealerId}: {Outcome}")]
    private static partial void LogNotStarted(ILogger logger, long userId, long dealerId, ChallengeStartOutcome outcome);
}
