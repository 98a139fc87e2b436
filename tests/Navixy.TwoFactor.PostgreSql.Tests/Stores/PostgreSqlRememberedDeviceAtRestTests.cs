using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Devices;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Settings;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// Remembered devices at rest (policy.md D1, security.md item 37), read back with plain SQL: the database holds a keyed hash
/// of each token and nothing from which the token follows, so a copy of it can neither use nor confirm a token without the
/// key material.
/// </summary>
public sealed class PostgreSqlRememberedDeviceAtRestTests : PostgreSqlFixture
{
    private static readonly string OtherKeyMaterial = Convert.ToBase64String(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());

    [Test]
    [Description("D1 The row holds a 32-byte keyed hash and no trace of the token; a node with other key material over the same rows ignores the token and touches nothing, the node with the key honours it.")]
    public async Task D1_AtRest_OnlyAKeyedHash_AndAnotherKeyNeitherUsesNorConfirmsTheToken()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var node = StartNode("device-at-rest", time: time);
        var tenant = NewTenant();
        await node.RegisterAccountsAsync(tenant, 1, 1);
        Assert.That((await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), TwoFactorSetting.Allowed(FactorTypes.Email))).Succeeded, Is.True);
        var devices = node.Provider.GetRequiredService<ITwoFactorRememberedDevices>();
        Assert.That(await devices.SetRememberPeriodAsync(tenant, TimeSpan.FromDays(30)), Is.True);
        var started = await node.Challenges.StartAsync(tenant, 1);
        Assert.That((await node.Challenges.VerifyAsync(tenant, started.Token, node.Sender.LastCode(tenant, 1))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        var token = (await devices.RememberAsync(tenant, 1, started.Token, "Firefox")).Token!;
        var copy = StartNode("device-at-rest-other-key", time: time, keyMaterial: OtherKeyMaterial);

        var row = await RowAsync(node, tenant);
        time.Advance(TimeSpan.FromMinutes(1));
        var withOtherKey = await copy.Challenges.StartAsync(tenant, 1, token);
        var rowAfter = await RowAsync(node, tenant);
        var withKey = await node.Challenges.StartAsync(tenant, 1, token);

        Assert.That(row.HashLength, Is.EqualTo(32));
        Assert.That(row.Text, Does.Not.Contain(token).And.Not.Contain(token[..16]), "no column holds the token");
        Assert.That(row.Text, Does.Not.Contain(Convert.ToHexString(Encoding.ASCII.GetBytes(token[..16])).ToLowerInvariant()));
        Assert.That(withOtherKey.Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "another key cannot use the token: the start goes on");
        Assert.That(rowAfter, Is.EqualTo(row), "nor confirm it: nothing was marked as used");
        Assert.That(withKey.Reason, Is.EqualTo(NotRequiredReason.RememberedDevice));
    }

    private static async Task<(int HashLength, string Text)> RowAsync(TestNode node, TenantId tenant)
    {
        await using var command = node.DataSource.CreateCommand("SELECT octet_length(token_hash), r::text FROM navixy_twofactor.remembered_devices AS r WHERE tenant_id = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter<long> { TypedValue = tenant.Value });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.That(await reader.ReadAsync(), Is.True, "one remembered device");
        return (reader.GetInt32(0), reader.GetString(1));
    }
}
