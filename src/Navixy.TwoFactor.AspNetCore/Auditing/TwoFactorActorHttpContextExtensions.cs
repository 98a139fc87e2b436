using Microsoft.AspNetCore.Http;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.AspNetCore.Auditing;

/// <summary>
/// Names who makes a request, for the audit trail (policy.md A1), from a host's own endpoints. The package's endpoints name
/// their caller themselves once they have admitted it; a host endpoint that calls a mutating library service (an unlock, an
/// admin reset, a settings change of its own) names its admitted caller with <see cref="SetTwoFactorActor"/> first, or the
/// entry says <see cref="TwoFactorActor.Unknown"/>.
/// </summary>
public static class TwoFactorActorHttpContextExtensions
{
    /// <summary>Names the actor of <paramref name="context"/>'s request: the library's audit entries of this request carry it.</summary>
    /// <param name="context">The request.</param>
    /// <param name="actor">Who makes it, e.g. <c>panel:acme.admin</c>; never a secret.</param>
    public static void SetTwoFactorActor(this HttpContext context, TwoFactorActor actor)
    {
        ArgumentNullException.ThrowIfNull(context);
        HttpContextActorAccessor.Set(context, actor);
    }
}
