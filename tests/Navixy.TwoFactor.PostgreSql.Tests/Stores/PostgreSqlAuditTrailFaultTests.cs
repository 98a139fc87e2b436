using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// A settings change and its audit-trail entry commit together (policy.md A2, security.md item 38): a trigger on
/// <c>audit_entries</c> terminates the node's own backend after the change's rows are written and before its entry is,
/// and afterwards neither the change nor the entry is there. The trigger fires only for the node's connections (by
/// application name), so nothing else sharing the database is touched.
/// </summary>
public sealed class PostgreSqlAuditTrailFaultTests : PostgreSqlFixture
{
    private static readonly TwoFactorSetting Email = TwoFactorSetting.Allowed(FactorTypes.Email);

    public enum Operation
    {
        UpdateAll,
        UpdateSelected,
        UpdateDefault,
        EnforceForEveryone,
    }

    [TestCase(Operation.UpdateAll)]
    [TestCase(Operation.UpdateSelected)]
    [TestCase(Operation.UpdateDefault)]
    [TestCase(Operation.EnforceForEveryone)]
    [Description("A2 The connection dies between a settings change and its entry: neither is there, and the next call writes both.")]
    public async Task A2_ConnectionKilledBetweenChangeAndEntry_LeavesNeither(Operation operation)
    {
        var node = StartNode("audit-fault");
        var tenant = NewTenant();
        var ids = await node.RegisterAccountsAsync(tenant, 1, 3);
        var stateBefore = await StateAsync(node, tenant, ids);
        await using var admin = NpgsqlDataSource.Create(PostgreSqlTestDatabase.ConnectionString);
        var function = "kill_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(admin, $"""
            CREATE FUNCTION navixy_twofactor.{function}() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
                IF current_setting('application_name') = '{node.ApplicationName}' THEN
                    PERFORM pg_terminate_backend(pg_backend_pid());
                END IF;
                RETURN NEW;
            END
            $f$;
            CREATE TRIGGER {function} BEFORE INSERT ON navixy_twofactor.audit_entries FOR EACH ROW EXECUTE FUNCTION navixy_twofactor.{function}();
            """);
        Exception? error;
        try
        {
            error = Assert.CatchAsync(() => RunAsync(node, tenant, ids, operation));
        }
        finally
        {
            await ExecuteAsync(admin, $"DROP TRIGGER {function} ON navixy_twofactor.audit_entries; DROP FUNCTION navixy_twofactor.{function}();");
        }

        Assert.That(error, Is.InstanceOf<NpgsqlException>().Or.InnerException.InstanceOf<NpgsqlException>(), error?.ToString());
        Assert.That(await StateAsync(node, tenant, ids), Is.EqualTo(stateBefore), "no change without its entry");
        var trail = await node.Provider.GetRequiredService<ITwoFactorAuditTrail>().ReadAsync(tenant);
        Assert.That(trail.Entries, Is.Empty, "no entry without its change");

        var retry = await RunAsync(node, tenant, ids, operation);
        trail = await node.Provider.GetRequiredService<ITwoFactorAuditTrail>().ReadAsync(tenant);
        Assert.That(trail.Entries!.Select(e => e.Version), Is.EqualTo(new[] { retry.Version }), "the next call writes both");
    }

    [Test]
    [Description("A2 A settings change with its entry is one statement: one round trip, as before the trail.")]
    public async Task A2_SettingsChangeWithItsEntry_IsOneRoundTrip()
    {
        var node = StartNode("audit-round-trips");
        var tenant = NewTenant();
        var ids = await node.RegisterAccountsAsync(tenant, 1, 3);

        foreach (var operation in Enum.GetValues<Operation>())
        {
            var (roundTrips, _) = await node.RoundTrips.CountAsync(() => RunAsync(node, tenant, ids, operation));
            Assert.That(roundTrips, Is.EqualTo(1), operation.ToString());
        }
    }

    private static async Task<SettingsUpdateResult> RunAsync(TestNode node, TenantId tenant, long[] ids, Operation operation)
    {
        var result = operation switch
        {
            Operation.UpdateAll => await node.Settings.UpdateAsync(tenant, SettingsTarget.All, Email),
            Operation.UpdateSelected => await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(ids), Email),
            Operation.UpdateDefault => await node.Settings.UpdateDefaultAsync(tenant, Email),
            _ => await node.Settings.EnforceForEveryoneAsync(tenant, Email),
        };
        Assert.That(result.Succeeded, Is.True, result.ToString());
        return result;
    }

    private static async Task<string> StateAsync(TestNode node, TenantId tenant, long[] ids)
    {
        var parts = new List<string> { (await node.Settings.ReadDefaultAsync(tenant)).ToString() };
        foreach (var id in ids)
        {
            parts.Add((await node.Settings.ReadAsync(tenant, id)).ToString());
        }

        return string.Join("|", parts);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
