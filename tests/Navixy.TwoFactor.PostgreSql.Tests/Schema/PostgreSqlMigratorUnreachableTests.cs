using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.PostgreSql.Schema;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.Schema;

/// <summary>An unreachable database at start; needs no server, so it runs everywhere.</summary>
public sealed class PostgreSqlMigratorUnreachableTests
{
    [Test]
    public async Task MigrateAsync_NothingListens_ThrowsNpgsqlExceptionSayingWhy()
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor().UsePostgreSql($"Host=127.0.0.1;Port={ClosedPort()};Username=nobody;Timeout=5;Pooling=false");
        await using var provider = services.BuildServiceProvider();
        var migrator = provider.GetRequiredService<IPostgreSqlMigrator>();

        var error = Assert.CatchAsync<NpgsqlException>(() => migrator.MigrateAsync());

        Assert.That(error!.InnerException, Is.InstanceOf<SocketException>());
        Assert.That(((SocketException)error.InnerException!).SocketErrorCode, Is.EqualTo(SocketError.ConnectionRefused));
    }

    /// <summary>A loopback port nothing listens on: bound by the system, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
