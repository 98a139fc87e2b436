using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Specification;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests;

/// <summary>
/// Base of the PostgreSQL-specific fixtures: requires the test database and starts engine instances ("nodes"),
/// each with its own service provider and its own data source over the same database.
/// </summary>
public abstract class PostgreSqlFixture : StoreSpecification
{
    private readonly List<TestNode> _nodes = [];
    private NpgsqlDataSource? _nextDataSource;

    [OneTimeSetUp]
    public Task RequireDatabase() => PostgreSqlTestDatabase.RequireAsync();

    [TearDown]
    public async Task StopNodes()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        _nodes.Clear();
    }

    protected override void ConfigureStores(TwoFactorBuilder builder) =>
        builder.UsePostgreSql(_nextDataSource ?? throw new InvalidOperationException("Start nodes with StartNode."));

    /// <summary>Starts an engine instance over the test database; stopped after the test.</summary>
    protected TestNode StartNode(string name, Action<NpgsqlConnectionStringBuilder>? configure = null)
    {
        var roundTrips = new RoundTripCounter();
        var applicationName = $"{name}-{Guid.NewGuid():N}";
        var dataSource = PostgreSqlTestDatabase.CreateDataSource(applicationName, roundTrips, configure);
        _nextDataSource = dataSource;
        try
        {
            var node = new TestNode(CreateProvider(), dataSource, roundTrips, applicationName);
            _nodes.Add(node);
            return node;
        }
        finally
        {
            _nextDataSource = null;
        }
    }

    /// <summary>An engine instance: its services, its data source and the round trips it made.</summary>
    protected sealed class TestNode(ServiceProvider provider, NpgsqlDataSource dataSource, RoundTripCounter roundTrips, string applicationName) : IAsyncDisposable
    {
        public ServiceProvider Provider { get; } = provider;

        public NpgsqlDataSource DataSource { get; } = dataSource;

        public RoundTripCounter RoundTrips { get; } = roundTrips;

        /// <summary>The application name its connections carry (pg_stat_activity.application_name).</summary>
        public string ApplicationName { get; } = applicationName;

        public ITwoFactorSettings Settings => Provider.GetRequiredService<ITwoFactorSettings>();

        public ITwoFactorDirectory Directory => Provider.GetRequiredService<ITwoFactorDirectory>();

        public ITwoFactorResolver Resolver => Provider.GetRequiredService<ITwoFactorResolver>();

        public async Task<long[]> RegisterAccountsAsync(TenantId tenant, long firstId, int count, bool isDemo = false)
        {
            var ids = new long[count];
            for (var i = 0; i < count; i++)
            {
                ids[i] = firstId + i;
                var result = await Directory.RegisterAccountAsync(tenant, ids[i], isDemo: isDemo);
                Assert.That(result.Succeeded, Is.True, $"registering account {ids[i]}");
            }

            return ids;
        }

        public async ValueTask DisposeAsync()
        {
            await Provider.DisposeAsync();
            await DataSource.DisposeAsync();
        }
    }
}
