using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Specification;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>Runs the enrolment-period specification (policy.md G1), unchanged, against the PostgreSQL stores.</summary>
public sealed class PostgreSqlEnrollmentPeriodSpecificationTests : EnrollmentPeriodSpecification
{
    private NpgsqlDataSource? _dataSource;

    [OneTimeSetUp]
    public async Task StartDatabase()
    {
        await PostgreSqlTestDatabase.RequireAsync();
        _dataSource = PostgreSqlTestDatabase.CreateDataSource("enrollment-period-specification");
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
