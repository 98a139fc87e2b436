using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.SecondStep;
using Navixy.TwoFactor.AspNetCore.Sessions;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Sample.Users;

/// <summary>
/// The user API calls that are the host's, not the package's: <c>user/get_info</c> (an ordinary call that needs a full
/// session; error 4 for a restricted, panel or unknown hash) and <c>user/logout</c> (a full or a restricted hash).
/// </summary>
internal static class UserEndpoints
{
    /// <summary>Maps the calls.</summary>
    /// <param name="app">The app.</param>
    public static IEndpointRouteBuilder MapSampleUserApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/user/get_info", GetInfoAsync);
        app.MapPost("/user/logout", LogoutAsync);
        return app;
    }

    private static async Task<IResult> GetInfoAsync(HttpContext context, SessionHandleStore<TwoFactorUser> sessions, UserDirectory users)
    {
        if (NvxAuthorization.TryRead(context.Request, out var hash) is { } hashError)
        {
            return hashError.ToResult();
        }

        if (!sessions.TryGet(hash, out var session) || !users.TryFind(session.Tenant, session.PrincipalId, out var user))
        {
            return NvxAuthorization.SessionNotFound().ToResult();
        }

        var request = await NavixyRequest.ReadAsync(context);
        return request.Error is { } malformed
            ? malformed.ToResult()
            : NavixyResults.Success(new UserInfoResponse(new UserInfo(
                user.Id, user.Login, user.Name, user.Dealer.Value, user.Kind == PrincipalKind.SubUser ? "sub_user" : "account", user.AccountId, user.IsDemo)));
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, SessionHandleStore<TwoFactorUser> sessions, IPendingSecondStepStore pending)
    {
        if (NvxAuthorization.TryRead(context.Request, out var hash) is { } hashError)
        {
            return hashError.ToResult();
        }

        var request = await NavixyRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        if (sessions.TryTake(hash, out _) || pending.TryComplete(hash, out _))
        {
            return NavixyResults.Success();
        }

        return NvxAuthorization.SessionNotFound().ToResult();
    }
}

/// <summary>The answer of <c>user/get_info</c>.</summary>
/// <param name="UserInfo">Who is signed in.</param>
internal sealed record UserInfoResponse(UserInfo UserInfo) : NavixySuccess;

/// <summary>Who is signed in: id, login, name, dealer, <c>account</c> or <c>sub_user</c>, its account, demo or not.</summary>
internal sealed record UserInfo(long Id, string Login, string Name, long DealerId, string Kind, long AccountId, bool Demo);
