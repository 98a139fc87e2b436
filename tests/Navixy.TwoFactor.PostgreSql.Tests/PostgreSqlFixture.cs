using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Specification;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Totp;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests;

/// <summary>
/// Base of the PostgreSQL-specific fixtures: requires the test database and starts engine instances ("nodes"),
/// each with its own service provider and its own data source over the same database.
/// </summary>
public abstract class PostgreSqlFixture : StoreSpecification
{
    /// <summary>The key material every node shares (the PostgreSQL stores refuse to start without one).</summary>
    protected static readonly string KeyMaterial = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());

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

    /// <summary>
    /// Starts an engine instance over the test database, with <paramref name="keyMaterial"/> (default
    /// <see cref="KeyMaterial"/>), a recording email sender and
    /// <paramref name="time"/> (a clock of its own when not given; pass one clock to nodes that must agree), and
    /// <paramref name="options"/> applied after those; stopped after the test.
    /// </summary>
    protected TestNode StartNode(string name, Action<NpgsqlConnectionStringBuilder>? configure = null, FakeTimeProvider? time = null, string? keyMaterial = null, Action<TwoFactorOptions>? options = null)
    {
        var roundTrips = new RoundTripCounter();
        var applicationName = $"{name}-{Guid.NewGuid():N}";
        var dataSource = PostgreSqlTestDatabase.CreateDataSource(applicationName, roundTrips, configure);
        _nextDataSource = dataSource;
        try
        {
            time ??= new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
            var sender = new RecordingEmailSender();
            var provider = CreateProvider(time, services =>
            {
                services.AddSingleton<IEmailCodeSender>(sender);
                services.Configure<TwoFactorOptions>(o =>
                {
                    o.KeyMaterial = keyMaterial ?? KeyMaterial;
                    options?.Invoke(o);
                });
            });
            var node = new TestNode(provider, dataSource, roundTrips, applicationName, time, sender);
            _nodes.Add(node);
            return node;
        }
        finally
        {
            _nextDataSource = null;
        }
    }

    /// <summary>An engine instance: its services, its data source, the round trips it made, its clock and sender.</summary>
    protected sealed class TestNode(ServiceProvider provider, NpgsqlDataSource dataSource, RoundTripCounter roundTrips, string applicationName, FakeTimeProvider time, RecordingEmailSender sender) : IAsyncDisposable
    {
        public FakeTimeProvider Time { get; } = time;

        public RecordingEmailSender Sender { get; } = sender;

        public ServiceProvider Provider { get; } = provider;

        public NpgsqlDataSource DataSource { get; } = dataSource;

        public RoundTripCounter RoundTrips { get; } = roundTrips;

        /// <summary>The application name its connections carry (pg_stat_activity.application_name).</summary>
        public string ApplicationName { get; } = applicationName;

        public ITwoFactorSettings Settings => Provider.GetRequiredService<ITwoFactorSettings>();

        public ITwoFactorDirectory Directory => Provider.GetRequiredService<ITwoFactorDirectory>();

        public ITwoFactorResolver Resolver => Provider.GetRequiredService<ITwoFactorResolver>();

        public ITwoFactorChallenges Challenges => Provider.GetRequiredService<ITwoFactorChallenges>();

        public Navixy.TwoFactor.Administration.ITwoFactorAdministration Administration => Provider.GetRequiredService<Navixy.TwoFactor.Administration.ITwoFactorAdministration>();

        public ITotpEnrollment Enrollment => Provider.GetRequiredService<ITotpEnrollment>();

        public IChallengeStore ChallengeStore => Provider.GetRequiredService<IChallengeStore>();

        public ITotpEnrollmentStore EnrollmentStore => Provider.GetRequiredService<ITotpEnrollmentStore>();

        public IRecoveryCodeStore RecoveryCodeStore => Provider.GetRequiredService<IRecoveryCodeStore>();

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
