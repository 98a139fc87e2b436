using Microsoft.Extensions.Options;
using Navixy.TwoFactor;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Sample;
using Navixy.TwoFactor.Sample.Email;
using Navixy.TwoFactor.Sample.Pages;

// dotnet run --project samples/Navixy.TwoFactor.Sample [--urls http://127.0.0.1:5080] [--postgres "<connection string>"]
await using var app = await SampleApp.CreateAsync(args);
app.MapSamplePages();
await app.StartAsync();

var baseUrl = app.Urls.FirstOrDefault() ?? SampleApp.DefaultUrl;
SampleBanner.Write(
    Console.Out,
    baseUrl.TrimEnd('/'),
    app.Services.GetRequiredService<IOptions<OutboxOptions>>().Value.ResolveDirectory(),
    keyMaterialConfigured: app.Services.GetRequiredService<IOptions<TwoFactorOptions>>().Value.KeyMaterial is not null,
    stores: SampleApp.DescribeStores(app.Services));

await app.WaitForShutdownAsync();
