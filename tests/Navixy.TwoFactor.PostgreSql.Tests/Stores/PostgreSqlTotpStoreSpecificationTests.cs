using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Specification;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// Runs the authenticator store specification, unchanged, against the PostgreSQL stores: every engine of the fixture over
/// one data source (one pool) on the test database, as the in-memory fixture shares one store instance; the suite gives
/// every engine the same key material. Two pools over one database: <see cref="PostgreSqlTotpTwoNodeTests"/>.
/// </summary>
public sealed class PostgreSqlTotpStoreSpecificationTests : TotpStoreSpecification
{
    private NpgsqlDataSource? _dataSource;

    [OneTimeSetUp]
    public async Task StartDatabase()
    {
        await PostgreSqlTestDatabase.RequireAsync();
        _dataSource = PostgreSqlTestDatabase.CreateDataSource("totp-specification");
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
