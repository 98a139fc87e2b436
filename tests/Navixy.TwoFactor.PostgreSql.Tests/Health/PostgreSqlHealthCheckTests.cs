using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.PostgreSql.Schema;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.Health;

/// <summary>Issue 14 item 3: the PostgreSQL stores' health check (connectivity, and the schema at the latest migration).</summary>
public sealed class PostgreSqlHealthCheckTests
{
    private readonly List<string> _schemas = [];
    private readonly List<ServiceProvider> _providers = [];

    [OneTimeSetUp]
    public Task RequireDatabase() => PostgreSqlTestDatabase.RequireAsync();

    [TearDown]
    public async Task DropSchemas()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        foreach (var schema in _schemas)
        {
            await PostgreSqlTestDatabase.DropSchemaAsync(schema);
        }

        _providers.Clear();
        _schemas.Clear();
    }

    [Test]
    [Description("issue 14 item 3: healthy when the schema is at the latest migration, reported through HealthCheckService")]
    public async Task MigratedSchema_Healthy()
    {
        var provider = Provider(NewSchema());
        await provider.GetRequiredService<IPostgreSqlMigrator>().MigrateAsync();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries["navixy-twofactor-postgresql"];
        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Healthy), entry.Description);
        Assert.That(entry.Data["schema_version"], Is.EqualTo(PostgreSqlMigrations.LatestVersion));
        Assert.That(entry.Data["expected_schema_version"], Is.EqualTo(PostgreSqlMigrations.LatestVersion));
        Assert.That(entry.Tags, Is.EquivalentTo(new[] { "ready" }));
    }

    [Test]
    [Description("issue 14 item 3: a schema behind the latest migration fails with the registration's failure status")]
    public async Task SchemaNotMigrated_FailureStatus_SaysRunTheMigration()
    {
        var provider = Provider(NewSchema(), HealthStatus.Degraded);

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries["navixy-twofactor-postgresql"];
        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Degraded));
        Assert.That(entry.Description, Does.Contain("run the migration"));
        Assert.That(entry.Data["schema_version"], Is.EqualTo(0));
    }

    [Test]
    public async Task SchemaAheadOfThisBuild_Degraded_SaysUpgradeThisNode()
    {
        var schema = NewSchema();
        var provider = Provider(schema);
        await provider.GetRequiredService<IPostgreSqlMigrator>().MigrateAsync();
        await using (var dataSource = NpgsqlDataSource.Create(PostgreSqlTestDatabase.ConnectionString))
        await using (var command = dataSource.CreateCommand($"INSERT INTO \"{schema}\".schema_version (version, description) VALUES ({PostgreSqlMigrations.LatestVersion + 1}, 'from a newer node')"))
        {
            await command.ExecuteNonQueryAsync();
        }

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries["navixy-twofactor-postgresql"];
        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Degraded));
        Assert.That(entry.Description, Does.Contain("upgrade this node"));
    }

    [Test]
    [Description("issue 14 item 3: an unreachable database is unhealthy; the description carries no connection string")]
    public async Task Unreachable_Unhealthy_WithoutTheConnectionString()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddNavixyTwoFactor(o => o.KeyMaterial = Convert.ToBase64String(new byte[32]))
            .UsePostgreSql($"Host=127.0.0.1;Port={ClosedPort()};Username=nobody;Password=hunter2;Timeout=5;Pooling=false");
        services.AddHealthChecks().AddNavixyTwoFactorPostgreSql();
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries["navixy-twofactor-postgresql"];
        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(entry.Exception, Is.InstanceOf<NpgsqlException>());
        Assert.That(entry.Description, Does.Contain("cannot be reached").And.Not.Contain("hunter2"));
    }

    private string NewSchema()
    {
        var schema = PostgreSqlTestDatabase.NewSchemaName("health_check");
        _schemas.Add(schema);
        return schema;
    }

    private ServiceProvider Provider(string schema, HealthStatus? failureStatus = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddNavixyTwoFactor().UsePostgreSql(PostgreSqlTestDatabase.ConnectionString, options => options.Schema = schema);
        services.AddHealthChecks().AddNavixyTwoFactorPostgreSql(failureStatus: failureStatus, tags: ["ready"]);
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
