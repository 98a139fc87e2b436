using Microsoft.Extensions.Options;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql;

/// <summary>
/// The database the stores use: the data source and the quoted schema name every statement is built with.
/// Disposes the data source only when it created it (the connection-string registration).
/// </summary>
internal sealed class PostgreSqlDatabase : IAsyncDisposable, IDisposable
{
    private readonly bool _ownsDataSource;

    public PostgreSqlDatabase(NpgsqlDataSource dataSource, bool ownsDataSource, IOptions<PostgreSqlStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        var schema = options.Value.Schema;
        if (!PostgreSqlStoreOptions.IsValidSchema(schema))
        {
            // The validator refuses this at start; this guard keeps an unvalidated name out of SQL text regardless.
            throw new OptionsValidationException(nameof(PostgreSqlStoreOptions), typeof(PostgreSqlStoreOptions), ["The PostgreSQL schema name is not a safe identifier."]);
        }

        DataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        SchemaName = schema;
        Schema = "\"" + schema + "\"";
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>The schema name as configured (a validated identifier).</summary>
    public string SchemaName { get; }

    /// <summary>The schema name quoted for SQL text.</summary>
    public string Schema { get; }

    public ValueTask DisposeAsync() => _ownsDataSource ? DataSource.DisposeAsync() : ValueTask.CompletedTask;

    public void Dispose()
    {
        if (_ownsDataSource)
        {
            DataSource.Dispose();
        }
    }
}
