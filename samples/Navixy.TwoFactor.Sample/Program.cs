using Microsoft.Extensions.Options;
using Navixy.TwoFactor;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Sample;
using Navixy.TwoFactor.Sample.Email;
using Navixy.TwoFactor.Sample.Pages;

// dotnet run --project samples/Navixy.TwoFactor.Sample [--urls http://127.0.0.1:5080] [--postgres "<connection string>"]
await using var app = await SampleApp.CreateAsync(args);

// Further endpoints of the sample, mapped before the host starts: its browser pages.
app.MapSamplePages();

await app.StartAsync();

// Through the logger (at warning level, so it shows unless logging is turned down further), so the banner comes after
// the host's start-up log lines, not between them.
var banner = new StringWriter();
SampleBanner.Write(
    banner,
    (app.Urls.FirstOrDefault() ?? SampleApp.DefaultUrl).TrimEnd('/'),
    app.Services.GetRequiredService<IOptions<OutboxOptions>>().Value.ResolveDirectory(),
    keyMaterialConfigured: app.Services.GetRequiredService<IOptions<TwoFactorOptions>>().Value.KeyMaterial is not null,
    stores: SampleApp.DescribeStores(app.Services));
#pragma warning disable CA1848, CA2254 // Written once at start, as it is: not a structured log event.
app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(SampleConsoleFormatter.BannerCategory).LogWarning(banner.ToString());
#pragma warning restore CA1848, CA2254

await app.WaitForShutdownAsync();
