using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Navixy.TwoFactor.Sample.Tests;

/// <summary>
/// The sample on the PostgreSQL stores (<c>--postgres</c>). Needs a server: NAVIXY_TWOFACTOR_TEST_PG, as for the
/// PostgreSQL package's own tests (<c>.ci/run</c> starts one). Without it these report as skipped locally and fail
/// under <c>CI=true</c>. Each test uses a schema of its own and drops it.
/// </summary>
public class PostgreSqlHostTests
{
    private const string Variable = "NAVIXY_TWOFACTOR_TEST_PG";

    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private string _connectionString = null!;
    private string _schema = null!;

    [SetUp]
    public void RequireServer()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"{Variable} is not set, and under CI=true the PostgreSQL tests must run: .ci/run starts a server and sets it.");
            }

            Assert.Ignore($"No PostgreSQL server: set {Variable} to an Npgsql connection string to run these tests (bash .ci/run starts one).");
        }

        _connectionString = connectionString;
        _schema = $"sample_{Guid.NewGuid():N}"[..32];
    }

    [TearDown]
    public async Task DropSchemaAsync()
    {
        if (_connectionString is not null)
        {
            await using var dataSource = NpgsqlDataSource.Create(_connectionString);
            await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE");
            await command.ExecuteNonQueryAsync();
        }
    }

    [Test]
    public async Task Postgres_FullLoginWithTheCodeFromTheOutbox_Works()
    {
        await using var server = await StartAsync();
        await server.EnforceForAllAsync();

        var full = await server.FullHashWithCodeAsync("fleet@acme.example");

        Assert.That((await server.PostAsync("user/get_info", new { }, full)).Success, Is.True);
        Assert.That(await ScalarAsync($"SELECT count(*) FROM \"{_schema}\".principals"), Is.EqualTo(8), "every seeded principal is in the database");
    }

    [Test]
    public async Task Postgres_Restart_KeepsTheSettingsAndSeedsAgainWithoutError()
    {
        await using (var first = await StartAsync())
        {
            await first.EnforceForAllAsync();
        }

        await using var second = await StartAsync();
        var panel = await second.PanelHashAsync();
        var read = await second.PostAsync("panel/user/mfa/settings/read", new { user_id = 101 }, panel);
        var auth = await second.UserAuthAsync("fleet@acme.example");
        var otherDealer = await second.UserAuthAsync("north@beacon.example");

        Assert.That(read.Value, Is.EqualTo("""{"type":"allowed","factor_types":["email"]}"""));
        Assert.That(auth.Body.GetProperty("type").GetString(), Is.EqualTo("second_factor_required"), auth.Text);
        Assert.That(otherDealer.Body.TryGetProperty("type", out _), Is.False, otherDealer.Text);
    }

    [Test]
    public async Task Postgres_WithoutKeyMaterial_RefusesToStartBeforeTouchingTheDatabase()
    {
        Assert.That(
            async () => await SampleServer.StartAsync(null, "postgres=" + _connectionString, "TwoFactor:PostgreSql:Schema=" + _schema),
            Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("KeyMaterial"));
        Assert.That(
            await ScalarAsync($"SELECT count(*) FROM information_schema.schemata WHERE schema_name = '{_schema}'"),
            Is.Zero,
            "the migration did not run");
    }

    [Test]
    public async Task Postgres_Banner_NamesTheStores()
    {
        await using var server = await StartAsync();

        Assert.That(SampleApp.DescribeStores(server.Services), Does.Contain("PostgreSQL").And.Contain(_schema));
    }

    private Task<SampleServer> StartAsync() =>
        SampleServer.StartAsync(null, "postgres=" + _connectionString, "TwoFactor:PostgreSql:Schema=" + _schema, "TwoFactor:KeyMaterial=" + Key);

    private async Task<long> ScalarAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>How the sample picks its stores from configuration; needs no server.</summary>
public class PostgreSqlSwitchTests
{
    [Test]
    public void ConnectionString_FromTheOption()
    {
        var configuration = Configuration(("postgres", "Host=a"), ("NAVIXY_SAMPLE_PG", "Host=b"));

        Assert.That(SampleApp.PostgreSqlConnectionString(configuration), Is.EqualTo("Host=a"));
    }

    [Test]
    public void ConnectionString_FromTheEnvironmentVariableWithoutTheOption()
    {
        var configuration = Configuration(("NAVIXY_SAMPLE_PG", "Host=b"));

        Assert.That(SampleApp.PostgreSqlConnectionString(configuration), Is.EqualTo("Host=b"));
    }

    [Test]
    public void ConnectionString_NoneOrBlank_MeansInMemory()
    {
        Assert.That(SampleApp.PostgreSqlConnectionString(Configuration()), Is.Null);
        Assert.That(SampleApp.PostgreSqlConnectionString(Configuration(("postgres", " "))), Is.Null);
    }

    [Test]
    public async Task Create_WithoutPostgres_UsesTheInMemoryStores()
    {
        await using var app = await SampleApp.CreateAsync(["--Sample:Credentials:PasswordIterations=100000"]);

        Assert.That(SampleApp.DescribeStores(app.Services), Is.EqualTo("in-memory stores"));
    }

    [Test]
    public void Create_WithAMalformedConnectionString_FailsAtStartUp() =>
        Assert.That(
            async () => await SampleApp.CreateAsync(["--Sample:Credentials:PasswordIterations=100000", "--postgres=NoSuchKeyword=1", "--TwoFactor:KeyMaterial=" + Convert.ToBase64String(new byte[32])]),
            Throws.InstanceOf<ArgumentException>());

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
