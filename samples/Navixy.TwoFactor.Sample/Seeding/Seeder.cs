using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Sample.Credentials;
using Navixy.TwoFactor.Sample.Panel;
using Navixy.TwoFactor.Sample.Users;
using Navixy.TwoFactor.Settings;

namespace Navixy.TwoFactor.Sample.Seeding;

/// <summary>
/// Puts <see cref="SeedData"/> in place: each principal is registered with the library
/// (<see cref="ITwoFactorDirectory"/>: account with origin and demo flag, sub-user under its account) and its
/// login with the host's own credential stores, its dealer's name as the issuer authenticator apps show.
/// Principals a persistent store already holds are left as they are.
/// </summary>
internal static class Seeder
{
    /// <summary>Seeds the stores of <paramref name="services"/>.</summary>
    /// <param name="services">The app's services.</param>
    /// <param name="dealers">What to seed.</param>
    /// <param name="cancellationToken">Cancels seeding.</param>
    public static async Task SeedAsync(IServiceProvider services, IReadOnlyList<SeedDealer> dealers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(dealers);
        var directory = services.GetRequiredService<ITwoFactorDirectory>();
        var users = services.GetRequiredService<UserDirectory>();
        var panelLogins = services.GetRequiredService<PanelLogins>();
        var hasher = services.GetRequiredService<PasswordHasher>();

        // PBKDF2 is slow on purpose: hash every seeded password (each with its own salt) in parallel.
        var logins = dealers
            .SelectMany(d => d.PanelLogins.Select(p => (Key: "panel:" + p.Login, p.Password))
                .Concat(d.Accounts.SelectMany(a => a.SubUsers.Select(s => (Key: "user:" + s.Login, s.Password)).Prepend((Key: "user:" + a.Login, a.Password)))))
            .ToArray();
        var hashes = await Task.WhenAll(logins.Select(l => Task.Run(() => (l.Key, Hash: hasher.Hash(l.Password)), cancellationToken)));
        var hashOf = hashes.ToDictionary(h => h.Key, h => h.Hash, StringComparer.Ordinal);

        foreach (var dealer in dealers)
        {
            var tenant = dealer.Tenant;
            foreach (var panelLogin in dealer.PanelLogins)
            {
                panelLogins.Add(new PanelLogin(tenant, panelLogin.Login, panelLogin.Permissions, hashOf["panel:" + panelLogin.Login]));
            }

            foreach (var account in dealer.Accounts)
            {
                Check(await directory.RegisterAccountAsync(tenant, account.Id, account.Origin, account.IsDemo, cancellationToken), tenant, account.Id);
                users.Add(new SampleUser(tenant, account.Id, account.Login, account.Name, account.Login, PrincipalKind.Account, account.Id, account.Origin, account.IsDemo, hashOf["user:" + account.Login], dealer.Name));

                foreach (var subUser in account.SubUsers)
                {
                    Check(await directory.RegisterSubUserAsync(tenant, subUser.Id, account.Id, cancellationToken), tenant, subUser.Id);
                    users.Add(new SampleUser(tenant, subUser.Id, subUser.Login, subUser.Name, subUser.Login, PrincipalKind.SubUser, account.Id, account.Origin, account.IsDemo, hashOf["user:" + subUser.Login], dealer.Name));
                }
            }
        }
    }

    private static void Check(DirectoryResult result, TenantId tenant, long id)
    {
        // A database keeps the principals of an earlier run (and the settings made since): they stay as they are.
        if (!result.Succeeded && result.Error != DirectoryErrorCode.AlreadyExists)
        {
            throw new InvalidOperationException($"Seeding principal {id} in {tenant} failed: {result.Error}.");
        }
    }
}
