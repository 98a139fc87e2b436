using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Specification;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// Runs the policy store specification, unchanged, against the PostgreSQL stores: every engine of the fixture over
/// one data source on the test database (the suite gives each test tenants of its own).
/// </summary>
public sealed class PostgreSqlPolicyStoreSpecificationTests : PolicyStoreSpecification
{
    private static readonly string KeyMaterial = Convert.ToBase64String(Enumerable.Range(201, 32).Select(i => (byte)i).ToArray());

    private NpgsqlDataSource? _dataSource;

    [OneTimeSetUp]
    public async Task StartDatabase()
    {
        await PostgreSqlTestDatabase.RequireAsync();
        _dataSource = PostgreSqlTestDatabase.CreateDataSource("policy-specification");
    }

    [OneTimeTearDown]
    public async Task StopDatabase()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    /// <summary>
    /// The PostgreSQL stores refuse to start without key material (<c>RequireKeyMaterial</c>), and this suite's
    /// engines configure none, so the fixture gives them one.
    /// </summary>
    protected override void ConfigureStores(TwoFactorBuilder builder)
    {
        builder.UsePostgreSql(_dataSource ?? throw new InvalidOperationException("The test database is not ready."));
        builder.Services.Configure<TwoFactorOptions>(o => o.KeyMaterial ??= KeyMaterial);
    }
}
