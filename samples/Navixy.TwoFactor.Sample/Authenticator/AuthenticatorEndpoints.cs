using Microsoft.Net.Http.Headers;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Sample.Dealers;
using Navixy.TwoFactor.Sample.Sessions;
using Navixy.TwoFactor.Sample.StepUp;
using Navixy.TwoFactor.Sample.Users;
using Navixy.TwoFactor.Sample.Wire;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Sample.Authenticator;

/// <summary>
/// Authenticator apps for the signed-in user (an extension beyond Navixy, under its conventions), over the library's
/// <see cref="ITotpEnrollment"/>: <c>user/auth/totp/begin</c>, <c>/confirm</c>, <c>/status</c>, <c>/disable</c> and
/// <c>user/auth/recovery_codes/regenerate</c>. Full session only (4 otherwise); demo users get 101. Secrets and recovery
/// codes are answered once, with <c>Cache-Control: no-store</c>, and never logged.
/// </summary>
internal static partial class AuthenticatorEndpoints
{
    /// <summary>Maps the calls.</summary>
    /// <param name="app">The app.</param>
    public static IEndpointRouteBuilder MapAuthenticatorApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/user/auth/totp/begin", BeginAsync);
        app.MapPost("/user/auth/totp/confirm", ConfirmAsync);
        app.MapPost("/user/auth/totp/status", StatusAsync);
        app.MapPost("/user/auth/totp/disable", DisableAsync);
        app.MapPost("/user/auth/recovery_codes/regenerate", RegenerateAsync);
        return app;
    }

    /// <summary>
    /// <c>{[step_up_hash]}</c> → <c>{secret, otpauth_uri, algorithm, digits, period, expires_at}</c>: a new secret, shown
    /// this once (issuer: the dealer's name; label: the login), to be confirmed before <c>expires_at</c>. An active
    /// authenticator keeps working until the new one is confirmed. Adding the first one and replacing one need
    /// <c>step_up_hash</c> (policy.md T4; 7 without a passed one) whenever the user could pass another way, i.e. the
    /// dealer allows email too; only a user who can pass solely with the app it lacks enrols without one. 13 when the
    /// dealer's MFA settings for this user do not allow <c>totp</c>; 105 with when to retry when the user is locked.
    /// </summary>
    private static async Task<IResult> BeginAsync(
        HttpContext context,
        UserSessions sessions,
        UserDirectory users,
        DealerDirectory dealers,
        ITwoFactorResolver resolver,
        StepUps stepUps,
        ITotpEnrollment enrollment,
        SecondStepRefusals refusals,
        ILoggerFactory loggers)
    {
        if (!SignedInUser.TryAdmitNonDemo(context, sessions, users, out var hash, out var user, out var denied))
        {
            return denied.ToResult();
        }

        var request = await WireRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        if (StepUpWire.Read(request, required: false, out var stepUpHash) is { } stepUpError)
        {
            return stepUpError.ToResult();
        }

        if (!await TotpAllowedAsync(resolver, user, context.RequestAborted))
        {
            return WireResults.Error(
                ErrorCode.OperationNotPermitted,
                "Operation not permitted: the dealer's MFA settings for this user do not allow authenticator apps (totp).");
        }

        string? stepUpToken = null;
        if (stepUpHash is not null && !stepUps.TryRedeem(stepUpHash, hash, user, out stepUpToken))
        {
            return StepUpWire.NotAccepted().ToResult();
        }

        var begun = await enrollment.BeginAsync(user.Dealer, user.Id, dealers.NameOf(user.Dealer), user.Login, stepUpToken, context.RequestAborted);
        var logger = loggers.CreateLogger(typeof(AuthenticatorEndpoints));
        LogOutcome(logger, "begin", user.Id, user.Dealer.Value, begun.Outcome);
        if (refusals.Of(begun) is { } refusal)
        {
            return refusal.ToResult();
        }

        switch (begun.Outcome)
        {
            case TotpEnrollmentOutcome.Begun when begun.Secret is { } secret && begun.OtpAuthUri is { } uri:
                NoStore(context);
                var parameters = begun.Parameters;
                return WireResults.Success(new TotpBeginResponse(
                    secret,
                    uri,
                    parameters.Algorithm switch
                    {
                        TotpAlgorithm.Sha256 => "SHA256",
                        TotpAlgorithm.Sha512 => "SHA512",
                        _ => "SHA1",
                    },
                    parameters.Digits,
                    parameters.PeriodSeconds,
                    begun.ExpiresAt));

            case TotpEnrollmentOutcome.StepUpRequired:
                return stepUpHash is null
                    ? WireError.Invalid(
                        $"{StepUpWire.Parameter} is required to add or replace an authenticator app: pass user/auth/step_up/start and user/auth/step_up/verify first.").ToResult()
                    : StepUpWire.NotAccepted().ToResult();

            default:
                return WireResults.Error(ErrorCode.DatabaseError, "Database error.");
        }
    }

    /// <summary>
    /// <c>{code}</c> (the app's current code) → <c>{recovery_codes}</c>: the authenticator is active (replacing any
    /// earlier one) and these codes, shown this once, each work once in place of a code. 282 for a code that did not pass
    /// (it counts toward the user's lockout); 13 when no begun enrolment awaits confirmation (none, expired, or already
    /// confirmed); 105 with when to retry when the user is locked (checked before the code) or the enrolment has taken
    /// five wrong codes (begin again).
    /// </summary>
    private static async Task<IResult> ConfirmAsync(
        HttpContext context,
        UserSessions sessions,
        UserDirectory users,
        ITotpEnrollment enrollment,
        SecondStepRefusals refusals,
        ILoggerFactory loggers)
    {
        if (!SignedInUser.TryAdmitNonDemo(context, sessions, users, out _, out var user, out var denied))
        {
            return denied.ToResult();
        }

        var request = await WireRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        if (request.RequiredString("code", out var code) is { } codeError)
        {
            return codeError.ToResult();
        }

        var confirmed = await enrollment.ConfirmAsync(user.Dealer, user.Id, code, context.RequestAborted);
        var logger = loggers.CreateLogger(typeof(AuthenticatorEndpoints));
        LogOutcome(logger, "confirm", user.Id, user.Dealer.Value, confirmed.Outcome);
        if (refusals.Of(confirmed) is { } refusal)
        {
            return refusal.ToResult();
        }

        switch (confirmed.Outcome)
        {
            case TotpEnrollmentOutcome.Confirmed:
                NoStore(context);
                return WireResults.Success(new RecoveryCodesResponse(confirmed.RecoveryCodes));

            case TotpEnrollmentOutcome.WrongCode:
            case TotpEnrollmentOutcome.InvalidInput:
                return WireResults.Error(ErrorCode.WrongAuthenticationCode, AuthCodeEndpoints.WrongCodeDescription);

            case TotpEnrollmentOutcome.Expired:
            case TotpEnrollmentOutcome.NoPendingEnrollment:
                return WireResults.Error(
                    ErrorCode.OperationNotPermitted,
                    "Operation not permitted: no authenticator app awaits confirmation; begin again with user/auth/totp/begin and confirm before its expires_at.");

            default:
                return WireResults.Error(ErrorCode.DatabaseError, "Database error.");
        }
    }

    /// <summary>
    /// <c>{}</c> → <c>{value: {enrolled, pending_enrollment, recovery_codes_left, totp_allowed}}</c>: never a secret.
    /// </summary>
    private static async Task<IResult> StatusAsync(
        HttpContext context,
        UserSessions sessions,
        UserDirectory users,
        ITwoFactorResolver resolver,
        ITotpEnrollment enrollment)
    {
        if (!SignedInUser.TryAdmitNonDemo(context, sessions, users, out _, out var user, out var denied))
        {
            return denied.ToResult();
        }

        var request = await WireRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        // A store failure propagates and is answered as error 1.
        var status = await enrollment.GetStatusAsync(user.Dealer, user.Id, context.RequestAborted);
        var allowed = await TotpAllowedAsync(resolver, user, context.RequestAborted);
        return WireResults.Success(new TotpStatusResponse(new TotpStatus(status.IsEnrolled, status.HasPendingEnrollment, status.RecoveryCodesLeft, allowed)));
    }

    /// <summary>
    /// <c>{step_up_hash}</c> → <c>{success: true}</c>: the authenticator (active and pending) and the recovery codes are
    /// gone; if the dealer allows only <c>totp</c>, the next sign-in is refused until the user enrols again. 7 without a
    /// passed step-up; 13 when no authenticator is enrolled.
    /// </summary>
    private static async Task<IResult> DisableAsync(
        HttpContext context,
        UserSessions sessions,
        UserDirectory users,
        StepUps stepUps,
        ITotpEnrollment enrollment,
        ILoggerFactory loggers)
    {
        if (!SignedInUser.TryAdmitNonDemo(context, sessions, users, out var hash, out var user, out var denied))
        {
            return denied.ToResult();
        }

        var request = await WireRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        if (StepUpWire.Read(request, required: true, out var stepUpHash) is { } stepUpError)
        {
            return stepUpError.ToResult();
        }

        if (!stepUps.TryRedeem(stepUpHash!, hash, user, out var stepUpToken))
        {
            return StepUpWire.NotAccepted().ToResult();
        }

        var disabled = await enrollment.DisableAsync(user.Dealer, user.Id, stepUpToken, context.RequestAborted);
        var logger = loggers.CreateLogger(typeof(AuthenticatorEndpoints));
        LogOutcome(logger, "disable", user.Id, user.Dealer.Value, disabled.Outcome);
        return disabled.Outcome switch
        {
            TotpEnrollmentOutcome.Disabled => WireResults.Success(),
            TotpEnrollmentOutcome.StepUpRequired => StepUpWire.NotAccepted().ToResult(),
            TotpEnrollmentOutcome.NotEnrolled => NotEnrolled(),
            _ => WireResults.Error(ErrorCode.DatabaseError, "Database error."),
        };
    }

    /// <summary>
    /// <c>{step_up_hash}</c> → <c>{recovery_codes}</c>: a fresh set, shown this once; the old codes stop working. 7 without a
    /// passed step-up; 13 when no authenticator is enrolled.
    /// </summary>
    private static async Task<IResult> RegenerateAsync(
        HttpContext context,
        UserSessions sessions,
        UserDirectory users,
        StepUps stepUps,
        ITotpEnrollment enrollment,
        ILoggerFactory loggers)
    {
        if (!SignedInUser.TryAdmitNonDemo(context, sessions, users, out var hash, out var user, out var denied))
        {
            return denied.ToResult();
        }

        var request = await WireRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        if (StepUpWire.Read(request, required: true, out var stepUpHash) is { } stepUpError)
        {
            return stepUpError.ToResult();
        }

        if (!stepUps.TryRedeem(stepUpHash!, hash, user, out var stepUpToken))
        {
            return StepUpWire.NotAccepted().ToResult();
        }

        var regenerated = await enrollment.RegenerateRecoveryCodesAsync(user.Dealer, user.Id, stepUpToken, context.RequestAborted);
        var logger = loggers.CreateLogger(typeof(AuthenticatorEndpoints));
        LogOutcome(logger, "regenerate recovery codes", user.Id, user.Dealer.Value, regenerated.Outcome);
        switch (regenerated.Outcome)
        {
            case TotpEnrollmentOutcome.RecoveryCodesRegenerated:
                NoStore(context);
                return WireResults.Success(new RecoveryCodesResponse(regenerated.RecoveryCodes));

            case TotpEnrollmentOutcome.StepUpRequired:
                return StepUpWire.NotAccepted().ToResult();

            case TotpEnrollmentOutcome.NotEnrolled:
                return NotEnrolled();

            default:
                return WireResults.Error(ErrorCode.DatabaseError, "Database error.");
        }
    }

    /// <summary>Whether the dealer's MFA settings let this user pass the second step with an authenticator app.</summary>
    private static async Task<bool> TotpAllowedAsync(ITwoFactorResolver resolver, SampleUser user, CancellationToken cancellationToken)
    {
        var requirement = await resolver.ResolveAsync(user.Dealer, user.Id, cancellationToken);
        return requirement.IsRequired && (requirement.Factors & FactorTypes.Totp) != 0;
    }

    private static IResult NotEnrolled() => WireResults.Error(
        ErrorCode.OperationNotPermitted,
        "Operation not permitted: this user has no authenticator app enrolled.");

    private static void NoStore(HttpContext context) => context.Response.Headers[HeaderNames.CacheControl] = "no-store";

    [LoggerMessage(EventId = 50, Level = LogLevel.Information, Message = "Authenticator {Operation} for user {UserId} of dealer {DealerId}: {Outcome}")]
    private static partial void LogOutcome(ILogger logger, string operation, long userId, long dealerId, TotpEnrollmentOutcome outcome);
}
