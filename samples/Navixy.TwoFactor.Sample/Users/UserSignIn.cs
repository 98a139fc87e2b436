using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Sample.Credentials;
using Navixy.TwoFactor.Sample.Sessions;

namespace Navixy.TwoFactor.Sample.Users;

/// <summary>
/// The first step of a user login and the decision that follows it: check the password (under the failure
/// counter), then ask the library's resolver whether a second step is required. Not required (demo users,
/// disallowed) → a full session. Required → the second step begins and only a restricted session is
/// granted; if it cannot begin (no factor this host runs, only an authenticator app allowed and none
/// enrolled, the user locked after too many wrong codes, a failure), no session at all. An unknown principal
/// or a failing store never yields a full session either.
/// </summary>
internal sealed partial class UserSignIn(
    UserDirectory users,
    PasswordCheck passwords,
    ITwoFactorResolver resolver,
    ISecondStep secondStep,
    UserSessions sessions,
    ILogger<UserSignIn> logger)
{
    /// <summary>Signs a user in.</summary>
    /// <param name="login">The login as sent.</param>
    /// <param name="password">The password as sent.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<SignInResult> SignInAsync(string login, string password, CancellationToken cancellationToken)
    {
        users.TryFind(login, out var user);
        var verdict = passwords.Check("user", login, password, user?.Password);
        if (verdict == PasswordCheckResult.Locked)
        {
            LogLocked(logger);
            return new SignInResult(SignInStatus.Locked);
        }

        if (verdict != PasswordCheckResult.Passed || user is null)
        {
            LogWrongPassword(logger);
            return new SignInResult(SignInStatus.WrongLoginOrPassword);
        }

        // A store failure propagates from here and is answered as error 1: no session is granted.
        var requirement = await resolver.ResolveAsync(user.Dealer, user.Id, cancellationToken);
        switch (requirement.Outcome)
        {
            case RequirementOutcome.NotRequired:
                LogSignedIn(logger, user.Id, user.Dealer.Value, requirement.Explanation);
                return new SignInResult(SignInStatus.SignedIn, sessions.StartFull(user.Dealer, user.Id));

            case RequirementOutcome.Required:
                var start = await secondStep.BeginAsync(user, FactorTypes.None, cancellationToken);
                switch (start)
                {
                    case { Begun: true, FactorType: { } factorType, ChallengeToken: { } challengeToken }:
                        LogSecondStepBegun(logger, user.Id, user.Dealer.Value, factorType);
                        var pending = sessions.StartPending(user.Dealer, user.Id, factorType, challengeToken, start.AlternativeFactors);
                        return new SignInResult(SignInStatus.SecondFactorRequired, pending, factorType, start.AlternativeFactors);

                    case { Outcome: SecondStepStartOutcome.PrincipalLocked }:
                        LogSecondStepLocked(logger, user.Id, user.Dealer.Value);
                        return new SignInResult(SignInStatus.Locked) { SecondStep = start };

                    case { Outcome: SecondStepStartOutcome.TooSoon }:
                        LogTooSoon(logger, user.Id, user.Dealer.Value);
                        return new SignInResult(SignInStatus.TooSoon) { SecondStep = start };

                    case { Outcome: SecondStepStartOutcome.NotAvailable }:
                        LogSecondStepNotAvailable(logger, user.Id, user.Dealer.Value, requirement.Explanation);
                        return new SignInResult(SignInStatus.SecondStepNotAvailable);

                    case { Outcome: SecondStepStartOutcome.EnrollmentRequired }:
                        LogEnrollmentRequired(logger, user.Id, user.Dealer.Value);
                        return new SignInResult(SignInStatus.EnrollmentRequired);

                    default:
                        return new SignInResult(SignInStatus.SecondStepFailed);
                }

            default:
                LogPolicyUnknown(logger, user.Id, user.Dealer.Value);
                return new SignInResult(SignInStatus.PolicyUnknown);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Login refused: too many failures for this login")]
    private static partial void LogLocked(ILogger logger);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Login refused: wrong login or password")]
    private static partial void LogWrongPassword(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "User {UserId} of dealer {DealerId} signed in without a second step ({Explanation})")]
    private static partial void LogSignedIn(ILogger logger, long userId, long dealerId, Explanation explanation);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "User {UserId} of dealer {DealerId} must pass a second step ({Explanation}) and none is available: login refused")]
    private static partial void LogSecondStepNotAvailable(ILogger logger, long userId, long dealerId, Explanation explanation);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "User {UserId} of dealer {DealerId} began a second step ({FactorType})")]
    private static partial void LogSecondStepBegun(ILogger logger, long userId, long dealerId, string factorType);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "User {UserId} of dealer {DealerId} has a password but no 2FA record: login refused")]
    private static partial void LogPolicyUnknown(ILogger logger, long userId, long dealerId);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "User {UserId} of dealer {DealerId} must pass with an authenticator app and has none enrolled: login refused")]
    private static partial void LogEnrollmentRequired(ILogger logger, long userId, long dealerId);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "User {UserId} of dealer {DealerId} was sent a code less than a minute ago: login refused, nothing sent")]
    private static partial void LogTooSoon(ILogger logger, long userId, long dealerId);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "User {UserId} of dealer {DealerId} is locked after too many wrong codes: login refused")]
    private static partial void LogSecondStepLocked(ILogger logger, long userId, long dealerId);
}
