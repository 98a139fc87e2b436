using Navixy.TwoFactor.Sample.Seeding;

namespace Navixy.TwoFactor.Sample;

/// <summary>What the sample prints when it has started: where it listens, the seeded logins, and a walkthrough.</summary>
internal static class SampleBanner
{
    /// <summary>Writes the banner.</summary>
    /// <param name="writer">Where to write (standard output).</param>
    /// <param name="baseUrl">The address the server listens on, e.g. <c>http://127.0.0.1:5080</c>.</param>
    /// <param name="outboxDirectory">Where the development outbox writes messages.</param>
    public static void Write(TextWriter writer, string baseUrl, string outboxDirectory)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine();
        writer.WriteLine("Navixy.TwoFactor sample host (development data, in-memory stores)");
        writer.WriteLine($"  Listening on {baseUrl}");
        writer.WriteLine($"  Development outbox (stand-in for email): {outboxDirectory}");
        foreach (var dealer in SeedData.Dealers)
        {
            writer.WriteLine();
            writer.WriteLine($"Dealer {dealer.Id}: {dealer.Name}");
            writer.WriteLine("  Admin Panel logins (panel/account/auth):");
            foreach (var login in dealer.PanelLogins)
            {
                writer.WriteLine($"    {login.Login,-26} {login.Password,-20} {login.Note}");
            }

            writer.WriteLine("  User logins (user/auth):");
            foreach (var account in dealer.Accounts)
            {
                writer.WriteLine($"    {account.Login,-26} {account.Password,-20} id {account.Id}: {account.Name}");
                foreach (var subUser in account.SubUsers)
                {
                    writer.WriteLine($"    {subUser.Login,-26} {subUser.Password,-20} id {subUser.Id}: {subUser.Name}");
                }
            }
        }

        writer.WriteLine();
        writer.WriteLine("Walkthrough (bash):");
        writer.WriteLine();
        foreach (var line in Walkthrough(baseUrl))
        {
            writer.WriteLine("  " + line);
        }

        writer.WriteLine();
        writer.WriteLine("Press Ctrl+C to stop.");
    }

    /// <summary>The curl walkthrough: panel auth, read, enforce for all users, read again, then a user login each way.</summary>
    /// <param name="baseUrl">The address the server listens on.</param>
    public static IReadOnlyList<string> Walkthrough(string baseUrl) =>
    [
        $"BASE={baseUrl}",
        "# 1. Sign in to dealer 1's Admin Panel and keep the panel session hash.",
        "PANEL=$(curl -s -X POST \"$BASE/panel/account/auth\" -H 'Content-Type: application/json' \\",
        "  -d '{\"login\": \"acme.admin\", \"password\": \"acme-admin-pass\"}' | sed -E 's/.*\"hash\":\"([0-9a-f]{32})\".*/\\1/')",
        "# 2. Read user 101's MFA settings: {\"type\":\"disallowed\"}.",
        "curl -s -w '\\n' -X POST \"$BASE/panel/user/mfa/settings/read\" -H \"Authorization: NVX $PANEL\" \\",
        "  -H 'Content-Type: application/json' -d '{\"user_id\": 101}'",
        "# 3. Enforce email codes for all of dealer 1's users (dealer 2 is not touched).",
        "curl -s -w '\\n' -X POST \"$BASE/panel/user/mfa/settings/update\" -H \"Authorization: NVX $PANEL\" \\",
        "  -H 'Content-Type: application/json' \\",
        "  -d '{\"target\": {\"type\": \"all\"}, \"settings\": {\"type\": \"allowed\", \"factor_types\": [\"email\"]}}'",
        "# 4. Read again: {\"type\":\"allowed\",\"factor_types\":[\"email\"]}.",
        "curl -s -w '\\n' -X POST \"$BASE/panel/user/mfa/settings/read\" -H \"Authorization: NVX $PANEL\" \\",
        "  -H 'Content-Type: application/json' -d '{\"user_id\": 101}'",
        "# 5. User 101 now needs a second step, which this host does not offer yet: error 13, no session.",
        "curl -s -w '\\n' -X POST \"$BASE/user/auth\" -H 'Content-Type: application/json' \\",
        "  -d '{\"login\": \"fleet@acme.example\", \"password\": \"fleet-pass\"}'",
        "# 6. The demo user is never asked for 2FA: a full session hash.",
        "curl -s -w '\\n' -X POST \"$BASE/user/auth\" -H 'Content-Type: application/json' \\",
        "  -d '{\"login\": \"demo@acme.example\", \"password\": \"demo-pass\"}'",
    ];
}
