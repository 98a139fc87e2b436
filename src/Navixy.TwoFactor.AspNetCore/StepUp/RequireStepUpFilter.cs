using Navixy.TwoFactor.Challenges;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.AspNetCore.Endpoints;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Cryptography;

namespace Navixy.TwoFactor.AspNetCore.StepUp;

/// <summary>
/// The filter behind <c>RequireStepUp()</c>: admits a signed-in, non-demo user (3, 4, 101 otherwise), reads
/// <c>step_up_hash</c> from the JSON body, takes this user's and session's step-up and redeems its passed challenge through
/// the library's <see cref="ITwoFactorStepUp"/> (passed within <c>Totp.StepUpLifetime</c>, once; error 7 otherwise, 1 when
/// a store failed), then hands the endpoint a
/// <see cref="StepUpProof"/> (<see cref="StepUpHttpContextExtensions.GetStepUpProof"/>).
/// </summary>
internal sealed class RequireStepUpFilter : IEndpointFilter
{
    internal static readonly object ProofKey = new();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var admission = await UserGate.OpenAsync(http, refuseDemo: true);
        if (admission is not { User: { } user, Request: { } request })
        {
            return admission.Error!.ToResult();
        }

        if (StepUpWire.Read(request, required: true, out var stepUpHash) is { } stepUpError)
        {
            return stepUpError.ToResult();
        }

        var stepUps = http.RequestServices.GetRequiredService<StepUps>();
        if (!stepUps.TryRedeem(stepUpHash!, admission.Hash, user, out var redeemed))
        {
            return StepUpWire.NotAccepted().ToResult();
        }

        // The library decides whether the pass is proof (passed by this user, within Totp.StepUpLifetime, once): the one step-up check.
        var proof = await http.RequestServices.GetRequiredService<ITwoFactorStepUp>()
            .RedeemAsync(user.Tenant, user.PrincipalId, redeemed.ChallengeToken, http.RequestAborted);
        switch (proof)
        {
            case StepUpOutcome.Redeemed:
                break;
            case StepUpOutcome.Refused:
                return StepUpWire.NotAccepted().ToResult();
            default:
                return NavixyError.DatabaseError().ToResult();
        }

        http.Items[ProofKey] = new StepUpProof(user.Tenant, user.PrincipalId, admission.Hash, redeemed.PassedAt!.Value);
        return await next(context);
    }
}

/// <summary>Reads what <c>RequireStepUp()</c> proved.</summary>
public static class StepUpHttpContextExtensions
{
    /// <summary>The step-up redeemed for this call by <c>RequireStepUp()</c>; <see langword="null"/> on an endpoint without it.</summary>
    /// <param name="context">The call.</param>
    public static StepUpProof? GetStepUpProof(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(RequireStepUpFilter.ProofKey, out var proof) ? proof as StepUpProof : null;
    }
}
