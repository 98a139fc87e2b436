using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.AspNetCore;
using Navixy.TwoFactor.AspNetCore.Endpoints;
using Navixy.TwoFactor.AspNetCore.Errors;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.Auditing;
using Navixy.TwoFactor.AspNetCore.Mapping;
using Navixy.TwoFactor.AspNetCore.StepUp;
using Navixy.TwoFactor.AspNetCore.Wire;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Maps the Navixy-compatible endpoints, one line each, under <see cref="TwoFactorHttpOptions.RoutePrefix"/>. Every
/// endpoint is a <c>POST</c> with a JSON body, answers in Navixy's wire format, and describes itself for OpenAPI.
/// </summary>
public static class TwoFactorEndpointRouteBuilderExtensions
{
    private const string Json = "application/json";

    /// <summary>
    /// The user second step: <c>user/auth</c> (password, then <c>second_factor_required</c> with a restricted handle, the
    /// host's full session, or, inside the user's enrolment period, <c>enrollment_required</c> with a handle good only for
    /// enrolling an authenticator app), <c>user/auth/code/verify</c>, <c>user/auth/code/resend</c>, <c>user/auth/factor/switch</c>;
    /// step-up (<c>user/auth/step_up/start</c>, <c>/verify</c>); authenticator apps (<c>user/auth/totp/begin</c>,
    /// <c>/confirm</c>, <c>/status</c>, <c>/disable</c>) and <c>user/auth/recovery_codes/regenerate</c>. Needs an
    /// <see cref="ITwoFactorUserAccounts"/> registered by the host.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <returns>The group, for more conventions.</returns>
    /// <exception cref="InvalidOperationException">No <see cref="ITwoFactorUserAccounts"/> or no <c>AddAspNetCore()</c> is registered.</exception>
    public static RouteGroupBuilder MapNavixyUserSecondStep(this IEndpointRouteBuilder endpoints)
    {
        var group = Group(endpoints, typeof(ITwoFactorUserAccounts), "Navixy user second step");
        Post(group, "user/auth", SignInEndpoint.AuthAsync, typeof(UserAuthRequest), typeof(SecondFactorRequiredResponse), "Sign in: the host's session, or second_factor_required with a restricted hash");
        Post(group, "user/auth/code/verify", AuthCodeEndpoints.VerifyAsync, typeof(CodeVerifyRequest), typeof(RememberedSessionResponse), "Pass the second step with a code: the host's full session, and a device token with remember_device");
        Post(group, "user/auth/code/resend", AuthCodeEndpoints.ResendAsync, null, typeof(NavixySuccess), "Send a new email code (at most once a minute)");
        Post(group, "user/auth/factor/switch", AuthCodeEndpoints.SwitchFactorAsync, typeof(FactorRequest), typeof(SecondFactorRequiredResponse), "Switch the sign-in to another allowed factor, once");
        Post(group, "user/auth/step_up/start", StepUpEndpoints.StartAsync, typeof(FactorRequest), typeof(StepUpStartResponse), "Start a step-up (the second step again) for a signed-in user");
        Post(group, "user/auth/step_up/verify", StepUpEndpoints.VerifyAsync, typeof(StepUpVerifyRequest), typeof(NavixySuccess), "Pass a step-up with a code");
        Post(group, "user/auth/totp/begin", AuthenticatorEndpoints.BeginAsync, typeof(StepUpRequest), typeof(TotpBeginResponse), "Begin adding an authenticator app (step-up when the user could pass another way)");
        Post(group, "user/auth/totp/confirm", AuthenticatorEndpoints.ConfirmAsync, typeof(CodeRequest), typeof(RecoveryCodesResponse), "Confirm the authenticator app with its code: recovery codes, once");
        Post(group, "user/auth/totp/status", AuthenticatorEndpoints.StatusAsync, null, typeof(TotpStatusResponse), "The user's authenticator state");
        Post(group, "user/auth/totp/disable", AuthenticatorEndpoints.DisableAsync, typeof(StepUpRequest), typeof(NavixySuccess), "Remove the authenticator app and recovery codes (step-up)");
        Post(group, "user/auth/recovery_codes/regenerate", AuthenticatorEndpoints.RegenerateAsync, typeof(StepUpRequest), typeof(RecoveryCodesResponse), "New recovery codes, once (step-up)");
        return group;
    }

    /// <summary>
    /// The Panel API's <c>panel/user/mfa/settings/read</c>, <c>/update</c>, <c>/default/read</c> and
    /// <c>/default/update</c>, and (extensions) the audit trail <c>panel/user/mfa/audit/list</c>, scheduled changes
    /// (<c>effective_from</c> on the updates, <c>panel/user/mfa/settings/scheduled/list</c> and <c>/cancel</c>) and the remember
    /// period (<c>panel/user/mfa/remember_period/read</c> and <c>/update</c>) and the enrolment period
    /// (<c>panel/user/mfa/enrollment_period/read</c> and <c>/update</c>), inside the panel session's dealer (<c>users: read</c>
    /// for reads, <c>users: update</c> for updates). Needs an <see cref="ITwoFactorPanelSessions"/> registered by the host.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <returns>The group, for more conventions.</returns>
    /// <exception cref="InvalidOperationException">No <see cref="ITwoFactorPanelSessions"/> or no <c>AddAspNetCore()</c> is registered.</exception>
    public static RouteGroupBuilder MapNavixyPanelMfaSettings(this IEndpointRouteBuilder endpoints)
    {
        var group = Group(endpoints, typeof(ITwoFactorPanelSessions), "Navixy Panel API: MFA settings");
        Post(group, "panel/user/mfa/settings/read", PanelSettingsEndpoints.ReadAsync, typeof(UserIdRequest), typeof(SettingsValueResponse), "A user's MFA settings");
        Post(group, "panel/user/mfa/settings/update", PanelSettingsEndpoints.UpdateAsync, typeof(SettingsUpdateRequest), typeof(ScheduledResponse), "Set the MFA settings of all or selected users (all or nothing), now or from effective_from");
        Post(group, "panel/user/mfa/settings/default/read", PanelSettingsEndpoints.ReadDefaultAsync, null, typeof(SettingsValueResponse), "The MFA settings new users take");
        Post(group, "panel/user/mfa/settings/default/update", PanelSettingsEndpoints.UpdateDefaultAsync, typeof(DefaultSettingsUpdateRequest), typeof(ScheduledResponse), "Set the MFA settings new users take, now or from effective_from");
        Post(group, "panel/user/mfa/audit/list", PanelAuditEndpoints.ListAsync, typeof(AuditListRequest), typeof(AuditListResponse), "The dealer's MFA audit trail, newest first, by cursor (an extension)");
        Post(group, "panel/user/mfa/settings/scheduled/list", PanelScheduleEndpoints.ListAsync, null, typeof(ScheduledListResponse), "The dealer's MFA settings changes scheduled for later, by moment (an extension)");
        Post(group, "panel/user/mfa/settings/scheduled/cancel", PanelScheduleEndpoints.CancelAsync, typeof(ScheduledCancelRequest), typeof(NavixySuccess), "Cancel a scheduled MFA settings change (an extension)");
        Post(group, "panel/user/mfa/remember_period/read", PanelPeriodEndpoints.ReadRememberAsync, null, typeof(PeriodResponse), "How long a remembered device skips the second step, in seconds; 0 when off (an extension)");
        Post(group, "panel/user/mfa/remember_period/update", PanelPeriodEndpoints.UpdateRememberAsync, typeof(PeriodUpdateRequest), typeof(NavixySuccess), "Set the remember period: 0 (off) to 90 days, in seconds (an extension)");
        Post(group, "panel/user/mfa/enrollment_period/read", PanelPeriodEndpoints.ReadEnrollmentAsync, null, typeof(PeriodResponse), "The dealer's enrolment period for authenticator apps, in seconds (an extension)");
        Post(group, "panel/user/mfa/enrollment_period/update", PanelPeriodEndpoints.UpdateEnrollmentAsync, typeof(PeriodUpdateRequest), typeof(NavixySuccess), "Set the dealer's enrolment period, 0 to 90 days in seconds (an extension)");
        return group;
    }

    /// <summary>
    /// Puts an endpoint (or a group) behind a fresh step-up: the call needs a signed-in, non-demo user's full session
    /// (<see cref="ITwoFactorUserAccounts.FindSessionAsync"/>) and a <c>step_up_hash</c> in its JSON body that this user
    /// and session passed, which the library redeems (<c>ITwoFactorStepUp</c>: within <c>Totp.StepUpLifetime</c>, once). The endpoint
    /// reads it with <see cref="StepUpHttpContextExtensions.GetStepUpProof"/>, and the body with <see cref="NavixyRequest.ReadAsync"/>.
    /// Refusals: 3, 4, 101, 5, and 7 for a missing or unaccepted step-up.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint or group builder.</typeparam>
    /// <param name="builder">The endpoint or group.</param>
    public static TBuilder RequireStepUp<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddEndpointFilter(new RequireStepUpFilter());
    }

    private static RouteGroupBuilder Group(IEndpointRouteBuilder endpoints, Type hostService, string tag)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var isService = services.GetService<IServiceProviderIsService>();
        if (services.GetService<Navixy.TwoFactor.AspNetCore.Mapping.TwoFactorHttpResults>() is null)
        {
            throw new InvalidOperationException("Call AddNavixyTwoFactor().AddAspNetCore() before mapping the Navixy endpoints.");
        }

        if (isService is not null && !isService.IsService(hostService))
        {
            throw new InvalidOperationException($"Register the host's {hostService.Name} before mapping the Navixy endpoints that need it.");
        }

        var prefix = services.GetRequiredService<IOptions<TwoFactorHttpOptions>>().Value.RoutePrefix;
        var group = endpoints.MapGroup(prefix ?? string.Empty);
        group.WithTags(tag);
        group.AddEndpointFilter(new Navixy.TwoFactor.AspNetCore.Errors.UnexpectedFailureFilter());
        return group;
    }

    private static RouteHandlerBuilder Post(RouteGroupBuilder group, string pattern, Delegate handler, Type? request, Type response, string summary)
    {
        var endpoint = group.MapPost("/" + pattern, handler)
            .WithName("navixy:" + pattern)
            .WithSummary(summary)
            .Produces(StatusCodes.Status200OK, response, Json)
            .Produces<NavixyFailure>(StatusCodes.Status400BadRequest, Json);
        return request is null ? endpoint : endpoint.Accepts(request, Json);
    }
}
