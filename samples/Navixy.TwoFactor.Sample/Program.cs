using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Sample;
using Navixy.TwoFactor.Sample.Email;

// dotnet run --project samples/Navixy.TwoFactor.Sample [--urls http://127.0.0.1:5080]
await using var app = await SampleApp.CreateAsync(args);
await app.StartAsync();

var baseUrl = app.Urls.FirstOrDefault() ?? SampleApp.DefaultUrl;
SampleBanner.Write(Console.Out, baseUrl.TrimEnd('/'), app.Services.GetRequiredService<IOptions<OutboxOptions>>().Value.ResolveDirectory());

await app.WaitForShutdownAsync();
