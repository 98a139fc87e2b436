using Navixy.TwoFactor.AspNetCore;
using Navixy.TwoFactor.AspNetCore.Errors;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds Navixy-style answers for what no endpoint answers.</summary>
public static class NavixyErrorApplicationBuilderExtensions
{
    /// <summary>
    /// Under <see cref="TwoFactorHttpOptions.RoutePrefix"/> (everywhere when it is empty): an unknown action answers HTTP
    /// 404 with code 111, a wrong method HTTP 405 with code 112, and an unexpected failure error 1 without details. Call it
    /// early, before the endpoints (static files and pages before it keep their own answers).
    /// </summary>
    /// <param name="app">The app.</param>
    public static IApplicationBuilder UseNavixyErrors(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<NavixyErrorMiddleware>();
    }
}
