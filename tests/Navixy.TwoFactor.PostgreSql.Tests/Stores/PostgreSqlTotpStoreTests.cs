using System.Security.Cryptography;
using System.Text;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Specification;
using Navixy.TwoFactor.Totp;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>What the authenticator tables hold at rest, read back with plain SQL, and what a tampered row does.</summary>
public sealed class PostgreSqlTotpStoreTests : PostgreSqlFixture
{
    [Test]
    public async Task AtRest_EnrolmentHoldsOnlyCiphertextAndRecoveryCodesOnlySaltedHashes()
    {
        var node = StartNode("at-rest", options: o => o.Totp.RecoveryCodeIterations = TotpOptions.MinRecoveryCodeIterations);
        var tenant = NewTenant();
        var (app, recoveryCodes) = await EnrolAsync(node, tenant);

        await using var enrolment = node.DataSource.CreateCommand(
            "SELECT active_secret, last_step, pending_secret, pending_expires_at FROM navixy_twofactor.totp_enrollments WHERE tenant_id = $1 AND principal_id = 7");
        enrolment.Parameters.Add(new NpgsqlParameter<long> { TypedValue = tenant.Value });
        await using (var reader = await enrolment.ExecuteReaderAsync())
        {
            Assert.That(await reader.ReadAsync(), Is.True);
            var blob = reader.GetFieldValue<byte[]>(0);
            Assert.That(blob, Has.Length.EqualTo(1 + 12 + 16 + 20), "version, nonce, tag and the 20-byte secret encrypted");
            Assert.That(blob.AsSpan().IndexOf(app.Key[..8]), Is.EqualTo(-1), "no run of the plain secret");
            Assert.That(reader.GetInt64(1), Is.EqualTo(app.StepAt(node.Time.GetUtcNow()) - 1), "the confirming code's step");
            Assert.That((reader.IsDBNull(2), reader.IsDBNull(3)), Is.EqualTo((true, true)), "no pending secret after confirmation");
        }

        await using var codes = node.DataSource.CreateCommand(
            "SELECT lookup_id, salt, hash, iterations, used FROM navixy_twofactor.recovery_codes WHERE tenant_id = $1 AND principal_id = 7");
        codes.Parameters.Add(new NpgsqlParameter<long> { TypedValue = tenant.Value });
        var rows = new List<(string LookupId, byte[] Salt, byte[] Hash, int Iterations, bool Used)>();
        await using (var reader = await codes.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<byte[]>(2), reader.GetInt32(3), reader.GetBoolean(4)));
            }
        }

        var shown = recoveryCodes.Select(c => c.Replace("-", "", StringComparison.Ordinal)).ToArray();
        Assert.That(rows.Select(r => r.LookupId), Is.EquivalentTo(shown.Select(c => c[..4])), "only the first group, the lookup id, is stored as text");
        Assert.That(rows, Has.All.Matches<(string LookupId, byte[] Salt, byte[] Hash, int Iterations, bool Used)>(r => r.Salt.Length == 16 && r.Hash.Length == 32 && r.Iterations == TotpOptions.MinRecoveryCodeIterations && !r.Used));
        Assert.That(rows.Select(r => Convert.ToHexString(r.Salt)), Is.Unique);
        foreach (var code in shown)
        {
            // Recomputed independently: the stored hash is PBKDF2-HMAC-SHA256 of the 16 characters after the lookup id.
            var matches = rows.Where(r => r.LookupId == code[..4]).Count(r =>
                Rfc2898DeriveBytes.Pbkdf2(Encoding.ASCII.GetBytes(code[4..]), r.Salt, r.Iterations, HashAlgorithmName.SHA256, 32).AsSpan().SequenceEqual(r.Hash));
            Assert.That(matches, Is.EqualTo(1), code[..4]);
        }
    }

    [Test]
    public async Task TamperedSecretInTheDatabase_LoginAnswersFailedAndSpendsNothing()
    {
        var node = StartNode("tamper");
        var tenant = NewTenant();
        var (app, _) = await EnrolAsync(node, tenant);
        var started = await node.Challenges.StartAsync(tenant, 7);

        await using (var tamper = node.DataSource.CreateCommand(
            "UPDATE navixy_twofactor.totp_enrollments SET active_secret = set_byte(active_secret, 40, get_byte(active_secret, 40) # 1) WHERE tenant_id = $1 AND principal_id = 7"))
        {
            tamper.Parameters.Add(new NpgsqlParameter<long> { TypedValue = tenant.Value });
            Assert.That(await tamper.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }

        var verified = await node.Challenges.VerifyAsync(tenant, started.Token, app.CodeAt(node.Time.GetUtcNow()));
        var step = (await node.EnrollmentStore.GetAsync(tenant, 7, CancellationToken.None))!.LastAcceptedStep;

        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Failed));
        Assert.That(step, Is.EqualTo(app.StepAt(node.Time.GetUtcNow()) - 1), "no step was accepted");
    }

    /// <summary>Enrols principal 7 (authenticator only) and moves the clock one step past the confirming code.</summary>
    private static async Task<(TestAuthenticator App, IReadOnlyList<string> RecoveryCodes)> EnrolAsync(TestNode node, TenantId tenant)
    {
        await node.RegisterAccountsAsync(tenant, 7, 1);
        Assert.That((await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(7), TwoFactorSetting.Allowed(FactorTypes.Totp))).Succeeded, Is.True);
        var app = TestAuthenticator.From(await node.Enrollment.BeginAsync(tenant, 7, "Fleet", "driver"));
        var confirmed = await node.Enrollment.ConfirmAsync(tenant, 7, app.CodeAt(node.Time.GetUtcNow()));
        Assert.That(confirmed.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
        node.Time.Advance(TimeSpan.FromSeconds(30));
        return (app, confirmed.RecoveryCodes);
    }
}
