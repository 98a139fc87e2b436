using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Specification;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// Runs the challenge store specification, unchanged, against the PostgreSQL stores. Every provider of the fixture
/// shares one data source (one pool) over the test database, as the in-memory fixture shares one store instance;
/// the suite gives every engine the same key material. Two pools over one database: the two-node tests.
/// </summary>
public sealed class PostgreSqlChallengeStoreSpecificationTests : ChallengeStoreSpecification
{
    private NpgsqlDataSource? _dataSource;

    /// <summary>security.md item 30 asks for 1,000 races on PostgreSQL with two engines in the long run.</summary>
    protected override int LongCopyRaceRepetitions => 1_000;

    [OneTimeSetUp]
    public async Task StartDatabase()
    {
        await PostgreSqlTestDatabase.RequireAsync();
        _dataSource = PostgreSqlTestDatabase.CreateDataSource("challenge-specification");
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
