using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>What the rows show: dry runs and rejected operations leave none behind, and tenants share none.</summary>
public sealed class PostgreSqlPolicyStoreTests : PostgreSqlFixture
{
    private static readonly TwoFactorSetting Email = TwoFactorSetting.Allowed(FactorTypes.Email);

    [Test]
    public async Task DryRunsAndRejectedOperations_OnAnUnknownTenant_CreateNoRow()
    {
        var node = StartNode("rows");
        var tenant = NewTenant();

        Assert.That((await node.Settings.UpdateAsync(tenant, SettingsTarget.All, Email, dryRun: true)).Succeeded, Is.True);
        Assert.That((await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), Email, dryRun: true)).Succeeded, Is.False);
        Assert.That((await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), Email)).Succeeded, Is.False);
        Assert.That((await node.Settings.UpdateDefaultAsync(tenant, Email, dryRun: true)).Succeeded, Is.True);
        Assert.That((await node.Settings.EnforceForEveryoneAsync(tenant, Email, dryRun: true)).Succeeded, Is.True);
        Assert.That((await node.Directory.RegisterSubUserAsync(tenant, 2, 1)).Error, Is.EqualTo(DirectoryErrorCode.AccountNotFound));
        Assert.That((await node.Directory.RemoveAsync(tenant, 1)).Error, Is.EqualTo(DirectoryErrorCode.NotFound));

        Assert.That(await RowsAsync(node.DataSource, tenant), Is.Empty);
    }

    [Test]
    public async Task DryRunsAndRejectedOperations_OnAKnownTenant_ChangeNoRow()
    {
        var node = StartNode("rows");
        var tenant = NewTenant();
        await node.RegisterAccountsAsync(tenant, 1, 3);
        await node.Directory.RegisterAccountAsync(tenant, 4, isDemo: true);
        await node.Directory.RegisterSubUserAsync(tenant, 5, 1);
        var before = await RowsAsync(node.DataSource, tenant);

        await node.Settings.UpdateAsync(tenant, SettingsTarget.All, Email, dryRun: true);
        await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1, 2), Email, dryRun: true);
        await node.Settings.EnforceForEveryoneAsync(tenant, Email, dryRun: true);
        await node.Settings.UpdateDefaultAsync(tenant, Email, dryRun: true);
        await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1, 5), Email);
        await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1, 99), Email);
        await node.Directory.RegisterAccountAsync(tenant, 5);
        await node.Directory.RegisterSubUserAsync(tenant, 6, 5);
        await node.Directory.RemoveAsync(tenant, 99);

        Assert.That(await RowsAsync(node.DataSource, tenant), Is.EqualTo(before));
    }

    [Test]
    public async Task SameIdsInTwoTenants_ShareNothing()
    {
        var node = StartNode("tenants");
        var (first, second) = (NewTenant(), NewTenant());
        await node.RegisterAccountsAsync(first, 1, 2);
        await node.RegisterAccountsAsync(second, 1, 2);
        await node.Directory.RegisterSubUserAsync(second, 3, 1);

        await node.Settings.EnforceForEveryoneAsync(first, Email);
        await node.Directory.RemoveAsync(second, 2);

        Assert.That((await node.Resolver.ResolveAsync(first, 1)).Outcome, Is.EqualTo(RequirementOutcome.Required));
        Assert.That((await node.Resolver.ResolveAsync(second, 1)).Outcome, Is.EqualTo(RequirementOutcome.NotRequired));
        Assert.That((await node.Resolver.ResolveAsync(first, 2)).Outcome, Is.EqualTo(RequirementOutcome.Required));
        Assert.That((await node.Resolver.ResolveAsync(first, 3)).Outcome, Is.EqualTo(RequirementOutcome.UnknownPrincipal));
        Assert.That(await node.Settings.ReadDefaultAsync(second), Is.EqualTo(TwoFactorSetting.Disallowed));
        Assert.That((await node.Settings.UpdateAsync(second, SettingsTarget.Selected(2), Email)).Errors, Is.EqualTo(new[] { new SettingsError(SettingsErrorCode.NotFound, 2) }));
    }

    /// <summary>The tenant's rows as text, each with its row version (xmin), so that any write shows.</summary>
    private static async Task<List<string>> RowsAsync(NpgsqlDataSource dataSource, TenantId tenant)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT 'tenant ' || t.xmin::text || ' ' || row_to_json(t)::text FROM navixy_twofactor.tenants AS t WHERE t.tenant_id = $1
            UNION ALL
            SELECT 'principal ' || p.xmin::text || ' ' || row_to_json(p)::text FROM navixy_twofactor.principals AS p WHERE p.tenant_id = $1
            ORDER BY 1
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = tenant.Value });
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
