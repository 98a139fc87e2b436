using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Specification;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// Runs the principal removal specification (policy.md C10, security.md item 35), unchanged, against the PostgreSQL stores:
/// every engine of the fixture over one data source on the test database (the suite gives each test tenants of its own).
/// </summary>
public sealed class PostgreSqlPrincipalRemovalSpecificationTests : PrincipalRemovalSpecification
{
    private NpgsqlDataSource? _dataSource;

    [OneTimeSetUp]
    public async Task StartDatabase()
    {
        await PostgreSqlTestDatabase.RequireAsync();
        _dataSource = PostgreSqlTestDatabase.CreateDataSource("removal-specification");
    }

    [OneTimeTearDown]
    public async Task StopDatabase()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    protected override void ConfigureStores(TwoFactorBuilder builder) =>
        builder.UsePostgreSql(_dataSource ?? throw new InvalidOperationException("The test database is not ready."));
}
