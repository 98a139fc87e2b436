using Navixy.TwoFactor.Sample.Seeding;

namespace Navixy.TwoFactor.Sample;

/// <summary>What the sample prints when it has started: where it listens, the seeded logins, and a walkthrough.</summary>
internal static class SampleBanner
{
    /// <summary>Writes the banner.</summary>
    /// <param name="writer">Where to write (standard output).</param>
    /// <param name="baseUrl">The address the server listens on, e.g. <c>http://127.0.0.1:5080</c>.</param>
    /// <param name="outboxDirectory">Where the development outbox writes messages.</param>
    /// <param name="keyMaterialConfigured">Whether the library's key material came from configuration.</param>
    /// <param name="stores">Which stores the library uses, e.g. <c>in-memory stores</c>.</param>
    public static void Write(TextWriter writer, string baseUrl, string outboxDirectory, bool keyMaterialConfigured, string stores)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine();
        writer.WriteLine($"Navixy.TwoFactor sample host (development data, {stores})");
        writer.WriteLine($"  Listening on {baseUrl}");
        writer.WriteLine($"  Pages (Admin Panel, user sign-in): {baseUrl}/");
        writer.WriteLine($"  Development outbox (stand-in for email; codes go here and to this console): {outboxDirectory}");
        writer.WriteLine(keyMaterialConfigured
            ? "  Key material: configured (TwoFactor:KeyMaterial)."
            : "  Key material: none configured, so the library uses an ephemeral random key and warns about it. That is fine for"
              + Environment.NewLine
              + "  in-memory development; set TwoFactor__KeyMaterial to base64 of 32 or more random bytes to configure one.");
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
        foreach (var line in Walkthrough(baseUrl, outboxDirectory))
        {
            writer.WriteLine("  " + line);
        }

        writer.WriteLine();
        writer.WriteLine("Press Ctrl+C to stop.");
    }

    /// <summary>
    /// The curl walkthrough: panel sign-in, read, enforce email codes for all users, read again; then user 101's
    /// login with the code from the outbox, and the demo user's login without one.
    /// </summary>
    /// <param name="baseUrl">The address the server listens on.</param>
    /// <param name="outboxDirectory">Where the development outbox writes messages.</param>
    public static IReadOnlyList<string> Walkthrough(string baseUrl, string outboxDirectory) =>
    [
        $"BASE={baseUrl}",
        $"OUTBOX='{outboxDirectory}'",
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
        "# 5. User 101 signs in: \"second_factor_required\" and a restricted hash; an email code is sent.",
        "AUTH=$(curl -s -X POST \"$BASE/user/auth\" -H 'Content-Type: application/json' \\",
        "  -d '{\"login\": \"fleet@acme.example\", \"password\": \"fleet-pass\"}'); echo \"$AUTH\"",
        "PENDING=$(echo \"$AUTH\" | sed -E 's/.*\"hash\":\"([0-9a-f]{32})\".*/\\1/')",
        "# 6. The restricted hash is good only for the code calls: user/get_info answers error 4.",
        "curl -s -w '\\n' -X POST \"$BASE/user/get_info\" -H \"Authorization: NVX $PENDING\" \\",
        "  -H 'Content-Type: application/json' -d '{}'",
        "# 7. Another code within a minute is refused: error 15 with the wait (after a minute, a new code is sent).",
        "curl -s -w '\\n' -X POST \"$BASE/user/auth/code/resend\" -H \"Authorization: NVX $PENDING\" \\",
        "  -H 'Content-Type: application/json' -d '{}'",
        "# 8. Read the latest code from the development outbox (the server's console shows it too).",
        "CODE=$(cat \"$OUTBOX\"/*.txt | sed -nE 's/^Your sign-in code: ([0-9]+)$/\\1/p' | tail -n 1); echo \"$CODE\"",
        "# 9. Verify it: a full session hash (the restricted hash ends; a wrong code answers error 282).",
        "VERIFY=$(curl -s -X POST \"$BASE/user/auth/code/verify\" -H \"Authorization: NVX $PENDING\" \\",
        "  -H 'Content-Type: application/json' -d \"{\\\"code\\\": \\\"$CODE\\\"}\"); echo \"$VERIFY\"",
        "FULL=$(echo \"$VERIFY\" | sed -E 's/.*\"hash\":\"([0-9a-f]{32})\".*/\\1/')",
        "# 10. The full session works: user/get_info answers who is signed in.",
        "curl -s -w '\\n' -X POST \"$BASE/user/get_info\" -H \"Authorization: NVX $FULL\" \\",
        "  -H 'Content-Type: application/json' -d '{}'",
        "# 11. The demo user is never asked for 2FA: a full session hash straight away.",
        "curl -s -w '\\n' -X POST \"$BASE/user/auth\" -H 'Content-Type: application/json' \\",
        "  -d '{\"login\": \"demo@acme.example\", \"password\": \"demo-pass\"}'",
    ];
}
