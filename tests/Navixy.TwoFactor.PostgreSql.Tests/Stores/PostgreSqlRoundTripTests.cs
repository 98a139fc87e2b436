using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// Counts round trips (commands or batches Npgsql sends) and statements per operation, not time. Each node is
/// warmed first, so that opening the pool's physical connection is not counted.
/// </summary>
public sealed class PostgreSqlRoundTripTests : PostgreSqlFixture
{
    private static readonly TwoFactorSetting Email = TwoFactorSetting.Allowed(FactorTypes.Email);

    [TestCase(PrincipalKind.Account)]
    [TestCase(PrincipalKind.SubUser)]
    [TestCase(PrincipalKind.Unknown)]
    public async Task Resolve_IsOneStatementInOneRoundTrip(PrincipalKind kind)
    {
        var (node, tenant) = await StartWarmNodeAsync();
        await node.RegisterAccountsAsync(tenant, 1, 1);
        await node.Directory.RegisterSubUserAsync(tenant, 2, 1);
        var id = kind switch { PrincipalKind.Account => 1, PrincipalKind.SubUser => 2, _ => 3 };

        var cost = await node.RoundTrips.CountAsync(async () => await node.Resolver.ResolveAsync(tenant, id));

        Assert.That(cost, Is.EqualTo((1L, 1L)));
    }

    [TestCase(1)]
    [TestCase(500)]
    public async Task UpdateAll_IsOneStatementInOneRoundTripWhateverTheAccountCount(int accounts)
    {
        var (node, tenant) = await StartWarmNodeAsync();
        await node.RegisterAccountsAsync(tenant, 1, accounts);

        var cost = await node.RoundTrips.CountAsync(async () =>
            Assert.That((await node.Settings.UpdateAsync(tenant, SettingsTarget.All, Email)).ChangedAccounts, Is.EqualTo(accounts)));

        Assert.That(cost, Is.EqualTo((1L, 1L)));
    }

    [Test]
    public async Task UpdateAll_WritesNoPrincipalRow()
    {
        var (node, tenant) = await StartWarmNodeAsync();
        await node.RegisterAccountsAsync(tenant, 1, 50);
        await node.Directory.RegisterSubUserAsync(tenant, 100, 1);
        var before = await RowVersionsAsync(node.DataSource, tenant);

        await node.Settings.UpdateAsync(tenant, SettingsTarget.All, Email);
        await node.Settings.EnforceForEveryoneAsync(tenant, TwoFactorSetting.Disallowed);

        // xmin changes whenever a row is written: every principal row is the one registration wrote.
        Assert.That(await RowVersionsAsync(node.DataSource, tenant), Is.EqualTo(before));
    }

    [Test]
    public async Task Writes_EachTakeOneRoundTrip()
    {
        var (node, tenant) = await StartWarmNodeAsync();

        Assert.That((await node.RoundTrips.CountAsync(async () => await node.Directory.RegisterAccountAsync(tenant, 1))).RoundTrips, Is.EqualTo(1), "register account");
        Assert.That((await node.RoundTrips.CountAsync(async () => await node.Directory.RegisterSubUserAsync(tenant, 2, 1))).RoundTrips, Is.EqualTo(1), "register sub-user");
        Assert.That((await node.RoundTrips.CountAsync(async () => await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), Email))).RoundTrips, Is.EqualTo(1), "update selected");
        Assert.That((await node.RoundTrips.CountAsync(async () => await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1, 2, 3), Email))).RoundTrips, Is.EqualTo(1), "rejected update selected");
        Assert.That((await node.RoundTrips.CountAsync(async () => await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), Email, dryRun: true))).RoundTrips, Is.EqualTo(1), "dry-run update selected");
        Assert.That((await node.RoundTrips.CountAsync(async () => await node.Settings.UpdateAsync(tenant, SettingsTarget.All, Email, dryRun: true))).RoundTrips, Is.EqualTo(1), "dry-run update all");
        Assert.That((await node.RoundTrips.CountAsync(async () => await node.Settings.UpdateDefaultAsync(tenant, Email))).RoundTrips, Is.EqualTo(1), "update default");
        Assert.That((await node.RoundTrips.CountAsync(async () => await node.Settings.EnforceForEveryoneAsync(tenant, Email))).RoundTrips, Is.EqualTo(1), "enforce for everyone");
        Assert.That((await node.RoundTrips.CountAsync(async () => await node.Settings.ReadDefaultAsync(tenant))).RoundTrips, Is.EqualTo(1), "read default");
        Assert.That((await node.RoundTrips.CountAsync(async () => await node.Directory.RemoveAsync(tenant, 1))).RoundTrips, Is.EqualTo(1), "remove");
    }

    private async Task<(TestNode Node, TenantId Tenant)> StartWarmNodeAsync()
    {
        var node = StartNode("round-trips");
        await node.Resolver.ResolveAsync(NewTenant(), 1);
        return (node, NewTenant());
    }

    private static async Task<List<string>> RowVersionsAsync(NpgsqlDataSource dataSource, TenantId tenant)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT principal_id::text || ':' || xmin::text FROM navixy_twofactor.principals WHERE tenant_id = $1 ORDER BY principal_id");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = tenant.Value });
        var versions = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetString(0));
        }

        return versions;
    }
}
