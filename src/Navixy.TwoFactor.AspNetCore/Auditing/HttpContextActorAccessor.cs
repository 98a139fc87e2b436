using Microsoft.AspNetCore.Http;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.AspNetCore.Auditing;

/// <summary>
/// The actor of the request being served, for the audit trail (policy.md A1): the endpoints name it once they have admitted
/// the caller — <c>panel:dealer:{id}</c> (or <see cref="Hosting.PanelAccess.Actor"/> when the host names its panel users) for
/// the Panel API, <c>user:{id}</c> for a signed-in user — and the library reads it through
/// <see cref="ITwoFactorActorAccessor"/>. Outside a request, or before admission, it is <see cref="TwoFactorActor.Unknown"/>.
/// </summary>
internal sealed class HttpContextActorAccessor(IHttpContextAccessor http) : ITwoFactorActorAccessor
{
    private static readonly object Key = new();

    public TwoFactorActor Actor => http.HttpContext?.Items[Key] is TwoFactorActor actor ? actor : TwoFactorActor.Unknown;

    /// <summary>Names the actor of <paramref name="context"/>'s request.</summary>
    public static void Set(HttpContext context, TwoFactorActor actor) => context.Items[Key] = actor;
}
