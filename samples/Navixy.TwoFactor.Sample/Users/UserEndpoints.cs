using System.Text.Json.Serialization;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Sample.Credentials;
using Navixy.TwoFactor.Sample.Sessions;
using Navixy.TwoFactor.Sample.Wire;

namespace Navixy.TwoFactor.Sample.Users;

/// <summary>
/// The user API: <c>user/auth</c> (the login's first step), <c>user/get_info</c> (an ordinary call that needs a
/// full session) and <c>user/logout</c>. User sessions are a separate store from panel sessions: a panel hash is
/// error 4 here.
/// </summary>
internal static class UserEndpoints
{
    /// <summary>Maps the user API.</summary>
    /// <param name="app">The app.</param>
    public static IEndpointRouteBuilder MapUserApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/user/auth", AuthAsync);
        app.MapPost("/user/get_info", GetInfo);
        app.MapPost("/user/logout", LogoutAsync);
        return app;
    }

    /// <summary>
    /// <c>{login, password}</c> → <c>{hash}</c> (full session), or
    /// <c>{type: "second_factor_required", factor_type, [alternative_factor_types,] hash}</c> (restricted session;
    /// for <c>email</c> the code was sent, for <c>totp</c> nothing was); 102; 105 for too many wrong passwords or
    /// codes (for codes with when to retry); 15 when an email code went to the user less than a minute ago (nothing is
    /// sent; the description says how many seconds to wait); 13 when a second step is required and cannot run: only an
    /// authenticator app is allowed and none is enrolled, or no factor of the user can run.
    /// </summary>
    private static async Task<IResult> AuthAsync(HttpContext context, UserSignIn signIn, SecondStepRefusals refusals)
    {
        var request = await WireRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        if (request.RequiredString("login", out var login) is { } loginError)
        {
            return loginError.ToResult();
        }

        if (request.RequiredString("password", out var password) is { } passwordError)
        {
            return passwordError.ToResult();
        }

        if (login.Length > LoginName.MaxLength)
        {
            return WireError.Invalid($"login must be at most {LoginName.MaxLength} characters.").ToResult();
        }

        var result = await signIn.SignInAsync(login, password, context.RequestAborted);
        if (result.SecondStep is { } refused && refusals.Of(refused, "a code was sent to this user too recently; sign in again") is { } refusal)
        {
            return refusal.ToResult();
        }

        return result switch
        {
            { Status: SignInStatus.SignedIn, Hash: { } hash } => WireResults.Success(new UserAuthResponse(hash)),
            { Status: SignInStatus.SecondFactorRequired, Hash: { } hash, FactorType: { } factorType } =>
                WireResults.Success(new SecondFactorRequiredResponse(factorType, FactorWire.Names(result.AlternativeFactors), hash)),
            { Status: SignInStatus.EnrollmentRequired } => WireResults.Error(
                ErrorCode.OperationNotPermitted,
                "Operation not permitted: this user must sign in with an authenticator app and has none enrolled. No session was created; the dealer can allow email codes as well, so that the user can sign in and enrol one."),
            { Status: SignInStatus.Locked } =>
                WireResults.Error(ErrorCode.LoginAttemptsExceeded, "Login attempts limit exceeded; try again later."),
            { Status: SignInStatus.SecondStepNotAvailable } => WireResults.Error(
                ErrorCode.OperationNotPermitted,
                "Operation not permitted: this user must pass two-factor authentication and none of the allowed factors can run. No session was created."),
            { Status: SignInStatus.WrongLoginOrPassword } =>
                WireResults.Error(ErrorCode.WrongLoginOrPassword, "Wrong login or password."),
            _ => WireResults.Error(ErrorCode.DatabaseError, "Database error."),
        };
    }

    /// <summary><c>{}</c> → <c>{user_info}</c> with a full session; error 4 for a restricted, unknown or panel hash.</summary>
    private static IResult GetInfo(HttpContext context, UserSessions sessions, UserDirectory users)
    {
        if (!SignedInUser.TryAdmit(context, sessions, users, out _, out var user, out var denied))
        {
            return denied.ToResult();
        }

        return WireResults.Success(new UserInfoResponse(new UserInfo(
            user.Id,
            user.Login,
            user.Name,
            user.Dealer.Value,
            user.Kind == PrincipalKind.SubUser ? "sub_user" : "account",
            user.AccountId,
            user.IsDemo)));
    }

    /// <summary>
    /// <c>{}</c> with a user hash, full or restricted → <c>{success: true}</c>: the session ends (a restricted one
    /// with its second step). Error 4 when there is no such session.
    /// </summary>
    private static async Task<IResult> LogoutAsync(HttpContext context, UserSessions sessions)
    {
        if (NvxAuthorization.TryRead(context.Request, out var hash) is { } hashError)
        {
            return hashError.ToResult();
        }

        var request = await WireRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        if (!sessions.TryGetAny(hash, out _))
        {
            return NvxAuthorization.SessionNotFound().ToResult();
        }

        sessions.End(hash);
        return WireResults.Success();
    }
}

/// <summary>The answer of <c>user/auth</c> when no second step is needed.</summary>
/// <param name="Hash">The full session hash.</param>
internal sealed record UserAuthResponse(string Hash) : SuccessResponse;

/// <summary>
/// The answer of <c>user/auth</c> (and <c>user/auth/factor/switch</c>) when the second step has begun, in Navixy's
/// order: type, factor type, hash; <c>alternative_factor_types</c> (an extension) only when the user may switch.
/// </summary>
/// <param name="FactorType">The factor's wire name: <c>email</c> (a code was sent) or <c>totp</c> (type the app's code).</param>
/// <param name="AlternativeFactorTypes">The factors <c>user/auth/factor/switch</c> accepts; left out when none.</param>
/// <param name="Hash">The restricted session hash, good only for the authentication-code calls.</param>
internal sealed record SecondFactorRequiredResponse(
    [property: JsonPropertyOrder(1)] string FactorType,
    [property: JsonPropertyOrder(2), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? AlternativeFactorTypes,
    [property: JsonPropertyOrder(3)] string Hash) : SuccessResponse
{
    /// <summary>Always <c>second_factor_required</c>.</summary>
    public string Type { get; } = "second_factor_required";
}

/// <summary>The answer of <c>user/get_info</c>.</summary>
/// <param name="UserInfo">Who is signed in.</param>
internal sealed record UserInfoResponse(UserInfo UserInfo) : SuccessResponse;

/// <summary>Who is signed in.</summary>
/// <param name="Id">The user id (unique within the dealer).</param>
/// <param name="Login">The login.</param>
/// <param name="Name">The display name.</param>
/// <param name="DealerId">The dealer.</param>
/// <param name="Kind"><c>account</c> or <c>sub_user</c>.</param>
/// <param name="AccountId">The account itself, or a sub-user's account.</param>
/// <param name="Demo">Whether it is (a sub-user of) a demo account.</param>
internal sealed record UserInfo(long Id, string Login, string Name, long DealerId, string Kind, long AccountId, bool Demo);
