using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Navixy.TwoFactor.Sample.Pages;

/// <summary>
/// The sample's pages: the Admin Panel (sign-in, Settings → Security, Users, Edit user → Two-factor authentication) and
/// the user's sign-in and authenticator enrolment, as static HTML and plain JavaScript from <c>wwwroot/</c> over the
/// sample's JSON endpoints, plus the few endpoints the pages need that the APIs lack (<see cref="PanelPageEndpoints"/>,
/// <see cref="QrCodeEndpoint"/>). No build step; nothing is fetched from anywhere but this host.
/// </summary>
internal static class SamplePages
{
    /// <summary>The path of the pages' start page, relative to the host's address: <c>/</c>.</summary>
    public const string StartPath = "/";

    // The pages load their own scripts, styles and images only; the QR code arrives as a blob: URL.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>Serves the pages and maps the endpoints they add.</summary>
    /// <param name="app">The sample app, before it starts.</param>
    public static WebApplication MapSamplePages(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (!Directory.Exists(root))
        {
            throw new InvalidOperationException($"The sample's pages are missing: no folder {root}. Build the sample project, which copies wwwroot/ beside the assembly.");
        }

        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = static context =>
            {
                var headers = context.Context.Response.Headers;
                // Pages show secrets and recovery codes once: never kept in a cache, never framed.
                headers[HeaderNames.CacheControl] = "no-store";
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                headers[HeaderNames.XFrameOptions] = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
            },
        });

        app.MapPanelPageApi();
        app.MapQrCodeApi();
        return app;
    }
}
