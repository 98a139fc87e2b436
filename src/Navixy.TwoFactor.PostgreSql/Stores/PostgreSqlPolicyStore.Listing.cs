using Navixy.TwoFactor.Policy;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>The directory listing over PostgreSQL: one statement over the principals' primary key, in id order.</summary>
internal sealed partial class PostgreSqlPolicyStore
{
    public async ValueTask<DirectoryPage> ListAsync(TenantId tenant, long afterId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var command = _dataSource.CreateCommand(_sql.List);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
            command.Parameters.Add(new NpgsqlParameter<long>("after", afterId));
            command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var entries = new List<DirectoryEntry>(Math.Min(limit, 1024));
                var more = false;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (entries.Count == limit)
                    {
                        more = true;
                        break;
                    }

                    entries.Add(new DirectoryEntry(
                        reader.GetInt64(0),
                        reader.GetInt16(1) == AccountKind ? PrincipalKind.Account : PrincipalKind.SubUser,
                        reader.GetInt64(2),
                        (AccountOrigin)reader.GetInt16(3),
                        reader.GetBoolean(4)));
                }

                return new DirectoryPage(entries, more ? entries[^1].Id : null);
            }
        }
    }
}
