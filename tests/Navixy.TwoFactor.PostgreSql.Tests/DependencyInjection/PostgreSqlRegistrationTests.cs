using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.PostgreSql.Schema;
using Navixy.TwoFactor.PostgreSql.Stores;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.DependencyInjection;

/// <summary>Registration and options; opens no connection, so it needs no server.</summary>
public sealed class PostgreSqlRegistrationTests
{
    // Nothing listens there; registration and validation must not try to connect.
    private const string ConnectionString = "Host=127.0.0.1;Port=1;Username=nobody;Database=nowhere";

    private static readonly string KeyMaterial = Convert.ToBase64String(new byte[32]);

    [Test]
    public void UsePostgreSql_ReplacesTheInMemoryStores_EvenWhenTheCoreIsRegisteredAgainAfterIt()
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor().UsePostgreSql(ConnectionString);
        services.AddNavixyTwoFactor();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        Assert.That(provider.GetRequiredService<IPrincipalPolicyStore>(), Is.InstanceOf<PostgreSqlPolicyStore>());
        Assert.That(provider.GetRequiredService<IPrincipalDirectoryStore>(), Is.InstanceOf<PostgreSqlPolicyStore>());
        Assert.That(provider.GetRequiredService<ISettingsStore>(), Is.InstanceOf<PostgreSqlPolicyStore>());
        Assert.That(provider.GetRequiredService<IChallengeStore>(), Is.InstanceOf<PostgreSqlChallengeStore>());
        Assert.That(provider.GetRequiredService<ITotpEnrollmentStore>(), Is.InstanceOf<PostgreSqlTotpStore>());
        Assert.That(provider.GetRequiredService<IRecoveryCodeStore>(), Is.SameAs(provider.GetRequiredService<ITotpEnrollmentStore>()));
        Assert.That(provider.GetServices<IPrincipalPolicyStore>().Count(), Is.EqualTo(1));
        Assert.That(provider.GetServices<IChallengeStore>().Count(), Is.EqualTo(1));
        Assert.That(provider.GetServices<ITotpEnrollmentStore>().Count(), Is.EqualTo(1));
        Assert.That(provider.GetServices<IRecoveryCodeStore>().Count(), Is.EqualTo(1));
        Assert.That(provider.GetRequiredService<IPostgreSqlMigrator>().LatestVersion, Is.GreaterThanOrEqualTo(1));
    }

    [TestCase("")]
    [TestCase("Navixy")]
    [TestCase("1navixy")]
    [TestCase("navixy-two")]
    [TestCase("navixy\"; DROP SCHEMA public; --")]
    [TestCase("pg_navixy")]
    [TestCase("ünicode")]
    [TestCase("a234567890123456789012345678901234567890123456789012345678901234")]
    public void UsePostgreSql_UnsafeSchemaName_FailsAtStart(string schema)
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor(o => o.KeyMaterial = KeyMaterial).UsePostgreSql(ConnectionString, options => options.Schema = schema);
        using var provider = services.BuildServiceProvider();

        Assert.That(() => provider.GetRequiredService<IStartupValidator>().Validate(), Throws.InstanceOf<OptionsValidationException>());
        Assert.That(() => provider.GetRequiredService<IPrincipalPolicyStore>(), Throws.InstanceOf<OptionsValidationException>());
    }

    [TestCase("navixy_twofactor")]
    [TestCase("_x")]
    [TestCase("tenant_2fa_v2")]
    [TestCase("a23456789012345678901234567890123456789012345678901234567890123")]
    public void UsePostgreSql_PlainSchemaName_IsAccepted(string schema)
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor(o => o.KeyMaterial = KeyMaterial).UsePostgreSql(ConnectionString, options => options.Schema = schema);
        using var provider = services.BuildServiceProvider();

        Assert.That(() => provider.GetRequiredService<IStartupValidator>().Validate(), Throws.Nothing);
        Assert.That(provider.GetRequiredService<IPostgreSqlMigrator>().GenerateScript(), Does.Contain($"\"{schema}\".tenants"));
    }

    [Test]
    public void UsePostgreSql_WithoutKeyMaterial_RefusesToStartNamingTheOption()
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor().UsePostgreSql(ConnectionString);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(error!.Message, Does.Contain("TwoFactorOptions.KeyMaterial is required"));
        Assert.That(() => provider.GetRequiredService<IOptions<TwoFactorOptions>>().Value, Throws.InstanceOf<OptionsValidationException>());
    }

    [Test]
    public void UsePostgreSql_DataSourceOverloadWithoutKeyMaterial_RefusesToStart()
    {
        using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor().UsePostgreSql(dataSource);
        using var provider = services.BuildServiceProvider();

        Assert.That(() => provider.GetRequiredService<IStartupValidator>().Validate(), Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("KeyMaterial"));
    }

    [Test]
    public void UsePostgreSql_WithKeyMaterial_Starts()
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor(o => o.KeyMaterial = KeyMaterial).UsePostgreSql(ConnectionString);
        using var provider = services.BuildServiceProvider();

        Assert.That(() => provider.GetRequiredService<IStartupValidator>().Validate(), Throws.Nothing);
    }

    [Test]
    public void InMemoryStores_WithoutKeyMaterial_StillStart()
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor();
        using var provider = services.BuildServiceProvider();

        Assert.That(() => provider.GetRequiredService<IStartupValidator>().Validate(), Throws.Nothing, "only the persistent stores require key material");
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("NoSuchKeyword=1")]
    public void UsePostgreSql_UnusableConnectionString_ThrowsArgumentException(string connectionString)
    {
        var builder = new ServiceCollection().AddNavixyTwoFactor();

        Assert.That(() => builder.UsePostgreSql(connectionString), Throws.InstanceOf<ArgumentException>());
    }

    [Test]
    public void UsePostgreSql_NullArguments_ThrowArgumentNullException()
    {
        var builder = new ServiceCollection().AddNavixyTwoFactor();

        Assert.That(() => builder.UsePostgreSql((NpgsqlDataSource)null!), Throws.ArgumentNullException);
        Assert.That(() => builder.UsePostgreSql((string)null!), Throws.ArgumentNullException);
        Assert.That(() => PostgreSqlTwoFactorBuilderExtensions.UsePostgreSql(null!, ConnectionString), Throws.ArgumentNullException);
    }

    [Test]
    public async Task UsePostgreSql_HostDataSource_IsLeftOpenWhenTheProviderIsDisposed()
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString + ";Timeout=5");
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor().UsePostgreSql(dataSource);
        await using (var provider = services.BuildServiceProvider())
        {
            provider.GetRequiredService<IPrincipalPolicyStore>();
        }

        // Still usable: opening tries the server (and is refused) instead of failing as disposed.
        Assert.That(async () => await dataSource.OpenConnectionAsync(), Throws.InstanceOf<NpgsqlException>());
    }

    [Test]
    public async Task UsePostgreSql_ConnectionString_DataSourceIsDisposedWithTheProvider()
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor().UsePostgreSql(ConnectionString);
        NpgsqlDataSource dataSource;
        await using (var provider = services.BuildServiceProvider())
        {
            dataSource = provider.GetRequiredService<PostgreSqlDatabase>().DataSource;
        }

        Assert.That(async () => await dataSource.OpenConnectionAsync(), Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void UsePostgreSql_ConnectionString_PreparesStatementsAndSkipsTheResetUnlessTheStringSaysOtherwise()
    {
        var defaults = new NpgsqlConnectionStringBuilder(BuiltConnectionString(ConnectionString));
        var hosts = new NpgsqlConnectionStringBuilder(BuiltConnectionString(ConnectionString + ";Max Auto Prepare=0;No Reset On Close=false"));
        var otherCase = new NpgsqlConnectionStringBuilder(BuiltConnectionString(ConnectionString + ";max auto prepare=8;NO RESET ON CLOSE=false"));

        Assert.That((defaults.MaxAutoPrepare, defaults.NoResetOnClose), Is.EqualTo((64, true)));
        Assert.That((hosts.MaxAutoPrepare, hosts.NoResetOnClose), Is.EqualTo((0, false)), "a host's own values win");
        Assert.That((otherCase.MaxAutoPrepare, otherCase.NoResetOnClose), Is.EqualTo((8, false)), "however the host spells them");
    }

    private static string BuiltConnectionString(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor().UsePostgreSql(connectionString);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<PostgreSqlDatabase>().DataSource.ConnectionString;
    }
}
