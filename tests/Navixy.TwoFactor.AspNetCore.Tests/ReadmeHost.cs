using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.Sessions;

namespace Navixy.TwoFactor.AspNetCore.Tests;

/// <summary>
/// README's "Use it in ASP.NET Core" host, line for line: <see cref="Configure"/> holds the lines between
/// <c>CreateBuilder</c> and <c>Run</c>, <see cref="MyHost"/> is the host's own part. <see cref="ReadmeHostTests"/> checks
/// that README shows exactly these lines, and replays the Navixy checks against the host they build.
/// </summary>
internal static class ReadmeHost
{
    public static WebApplication Configure(WebApplicationBuilder builder)
    {
        // README:program
        builder.Services.AddNavixyTwoFactor().AddEmailCodeSender<MyMailer>().AddAspNetCore();
        builder.Services.AddSingleton<MyHost>().AddSingleton<ITwoFactorUserAccounts>(s => s.GetRequiredService<MyHost>())
            .AddSingleton<ITwoFactorPanelSessions>(s => s.GetRequiredService<MyHost>());
        var app = builder.Build();
        app.UseNavixyErrors();
        app.MapNavixyUserSecondStep();
        app.MapNavixyPanelMfaSettings();
        // README:end
        return app;
    }
}

// README:host
// The host's own part: its user table (hash passwords slowly, e.g. PBKDF2, in production), its sessions, its panel logins.
public sealed class MyHost(TimeProvider time) : ITwoFactorUserAccounts, ITwoFactorPanelSessions
{
    public Dictionary<string, (TwoFactorUser User, byte[] PasswordHash)> Users { get; } = [];
    public SessionHandleStore<TwoFactorUser> Sessions { get; } = new(time);
    public SessionHandleStore<PanelAccess> PanelSessions { get; } = new(time);
    public ValueTask<UserPasswordCheck> CheckPasswordAsync(string login, string password, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Users.TryGetValue(login, out var u) && CryptographicOperations.FixedTimeEquals(
            u.PasswordHash, SHA256.HashData(Encoding.UTF8.GetBytes(password))) ? UserPasswordCheck.Passed(u.User) : default);
    public ValueTask<string> StartSessionAsync(TwoFactorUser user, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Sessions.Create(user, TimeSpan.FromHours(8)));
    public ValueTask<TwoFactorUser?> FindSessionAsync(string hash, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Sessions.TryGet(hash, out var user) ? user : null);
    public ValueTask<PanelAccess?> FindAsync(string hash, CancellationToken cancellationToken) =>
        ValueTask.FromResult(PanelSessions.TryGet(hash, out var access) ? access : null);
}
// README:end
