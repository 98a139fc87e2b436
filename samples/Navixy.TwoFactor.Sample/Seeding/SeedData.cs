using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Sample.Panel;

namespace Navixy.TwoFactor.Sample.Seeding;

/// <summary>A dealer to seed: its panel logins and its accounts.</summary>
/// <param name="Id">The dealer id (the library's tenant id).</param>
/// <param name="Name">A display name.</param>
/// <param name="PanelLogins">Its Admin Panel logins.</param>
/// <param name="Accounts">Its user accounts.</param>
internal sealed record SeedDealer(long Id, string Name, IReadOnlyList<SeedPanelLogin> PanelLogins, IReadOnlyList<SeedAccount> Accounts)
{
    /// <summary>The dealer as a tenant id.</summary>
    public TenantId Tenant => new(Id);
}

/// <summary>An Admin Panel login to seed.</summary>
/// <param name="Login">The login.</param>
/// <param name="Password">The password, printed at start (development data only).</param>
/// <param name="Permissions">What its sessions may do.</param>
/// <param name="Note">What it shows, for the start-up listing.</param>
internal sealed record SeedPanelLogin(string Login, string Password, PanelPermissions Permissions, string Note);

/// <summary>A user account to seed.</summary>
/// <param name="Id">The account id (unique within the dealer only).</param>
/// <param name="Login">The login (also its email address).</param>
/// <param name="Password">The password, printed at start (development data only).</param>
/// <param name="Name">A display name.</param>
/// <param name="Origin">Created or imported.</param>
/// <param name="IsDemo">Whether it is a demo account.</param>
/// <param name="SubUsers">Its sub-users.</param>
internal sealed record SeedAccount(
    long Id,
    string Login,
    string Password,
    string Name,
    AccountOrigin Origin = AccountOrigin.Created,
    bool IsDemo = false,
    IReadOnlyList<SeedSubUser>? SubUsers = null)
{
    /// <summary>Its sub-users; empty when none.</summary>
    public IReadOnlyList<SeedSubUser> SubUsers { get; init; } = SubUsers ?? [];
}

/// <summary>A sub-user to seed.</summary>
/// <param name="Id">The sub-user id (in the same id space as the dealer's accounts).</param>
/// <param name="Login">The login (also its email address).</param>
/// <param name="Password">The password, printed at start (development data only).</param>
/// <param name="Name">A display name.</param>
internal sealed record SeedSubUser(long Id, string Login, string Password, string Name);

/// <summary>
/// The seeded world: two dealers, so isolation can be seen. Numeric ids overlap on purpose: id 101 is an
/// account in both dealers, and id 102 is a sub-user in dealer 1 but an account in dealer 2. Every 2FA setting
/// starts as the library's default for a fresh dealer, <c>disallowed</c>.
/// </summary>
/// <remarks>Fixed passwords make the README walkthrough reproducible. They are development data: never seed real hosts like this.</remarks>
internal static class SeedData
{
    /// <summary>Dealer 1: every kind of user.</summary>
    public static SeedDealer Acme { get; } = new(
        1,
        "Acme Telematics",
        [
            new("acme.admin", "acme-admin-pass", PanelPermissions.FullUsers, "users: create, read, update, delete"),
            new("acme.viewer", "acme-viewer-pass", PanelPermissions.ReadOnlyUsers, "users: read only (updates answer 13)"),
        ],
        [
            new(101, "fleet@acme.example", "fleet-pass", "Acme Fleet (account with two sub-users)", SubUsers:
            [
                new(102, "dispatcher@acme.example", "dispatcher-pass", "Acme Fleet dispatcher (sub-user of 101)"),
                new(103, "driver@acme.example", "driver-pass", "Acme Fleet driver (sub-user of 101)"),
            ]),
            new(104, "imported@acme.example", "imported-pass", "Imported Logistics (imported account)", Origin: AccountOrigin.Imported),
            new(105, "demo@acme.example", "demo-pass", "Acme showcase (demo account, never asked for 2FA)", IsDemo: true),
            new(106, "plain@acme.example", "plain-pass", "Plain Cargo (account)"),
        ]);

    /// <summary>Dealer 2: overlapping ids, to show that dealers share nothing.</summary>
    public static SeedDealer Beacon { get; } = new(
        2,
        "Beacon Tracking",
        [
            new("beacon.admin", "beacon-admin-pass", PanelPermissions.FullUsers, "users: create, read, update, delete"),
        ],
        [
            new(101, "north@beacon.example", "north-pass", "North Haulage (account; same id as Acme's 101)"),
            new(102, "south@beacon.example", "south-pass", "South Couriers (account; a sub-user id in Acme)"),
        ]);

    /// <summary>Both dealers.</summary>
    public static IReadOnlyList<SeedDealer> Dealers { get; } = [Acme, Beacon];
}
