using Microsoft.Net.Http.Headers;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.SecondStep;
using Navixy.TwoFactor.AspNetCore.Wire;
using QRCoder;

namespace Navixy.TwoFactor.Sample.Pages;

/// <summary>
/// <c>user/auth/totp/qr</c> (an extension for the enrolment page): <c>{otpauth_uri}</c>, the URI
/// <c>user/auth/totp/begin</c> just answered, → the QR code of it as <c>image/svg+xml</c>, drawn on the server with
/// QRCoder so the page needs no script library. Full session of a non-demo user only (4, 101), or the restricted handle
/// <c>user/auth</c> answered with <c>enrollment_required</c> while its enrolment period runs (the handle
/// <c>totp/begin</c> takes too), so it is no QR service for anyone; answered with <c>Cache-Control: no-store</c> and never logged, since the image carries the secret.
/// </summary>
internal static class QrCodeEndpoint
{
    /// <summary>The longest URI accepted; an otpauth URI of this library is far shorter.</summary>
    public const int MaxUriLength = 1024;

    private const string Scheme = "otpauth://totp/";

    /// <summary>Maps the call.</summary>
    /// <param name="app">The app.</param>
    public static IEndpointRouteBuilder MapQrCodeApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/user/auth/totp/qr", DrawAsync);
        return app;
    }

    /// <summary>Draws a QR code of an <c>otpauth://totp/</c> URI as SVG.</summary>
    /// <param name="otpauthUri">The URI.</param>
    public static string Svg(string otpauthUri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(otpauthUri, QRCodeGenerator.ECCLevel.M);
        using var svg = new SvgQRCode(data);
        return svg.GetGraphic(8, "#000000", "#ffffff", drawQuietZones: true, SvgQRCode.SizingMode.ViewBoxAttribute);
    }

    private static async Task<IResult> DrawAsync(HttpContext context, ITwoFactorUserAccounts accounts, IPendingSecondStepStore pending, TimeProvider time)
    {
        if (NvxAuthorization.TryRead(context.Request, out var hash) is { } hashError)
        {
            return hashError.ToResult();
        }

        var user = await accounts.FindSessionAsync(hash, context.RequestAborted)
            ?? (pending.TryGet(hash, out var step) && step.EnrollUntil > time.GetUtcNow() ? step.User : null);
        if (user is null)
        {
            return NvxAuthorization.SessionNotFound().ToResult();
        }

        if (user.IsDemo)
        {
            return new NavixyError(NavixyErrorCode.DemoModeDisabled, "In demo mode this function is disabled.").ToResult();
        }

        var request = await NavixyRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        if (request.RequiredString("otpauth_uri", out var uri) is { } uriError)
        {
            return uriError.ToResult();
        }

        if (!uri.StartsWith(Scheme, StringComparison.Ordinal) || uri.Length > MaxUriLength)
        {
            return NavixyError.Invalid($"otpauth_uri must be the {Scheme} URI user/auth/totp/begin answered.").ToResult();
        }

        context.Response.Headers[HeaderNames.CacheControl] = "no-store";
        return Results.Text(Svg(uri), "image/svg+xml");
    }
}
