using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>
/// A principal's failure count and lockout, read without a lock (policy.md C4 over D2). The engine over these stores gets
/// the same row with the start's read (<see cref="PostgreSqlPolicyStore"/>); this serves a policy store of another kind.
/// </summary>
internal sealed partial class PostgreSqlChallengeStore : IPrincipalLockoutReader
{
    private readonly string _getPrincipalState = $"""
        SELECT failures, locked_until, last_sent_at FROM {database.Schema}.principal_lockouts
        WHERE tenant_id = @tenant AND principal_id = @principal
        """;

    public async ValueTask<PrincipalLockState> GetPrincipalStateAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(tenant, nameof(tenant));
        var command = _dataSource.CreateCommand(_getPrincipalState);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
            command.Parameters.Add(new NpgsqlParameter<long>("principal", principalId));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return default;
                }

                return new PrincipalLockState(
                    reader.GetInt32(0),
                    reader.IsDBNull(1) ? null : new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero),
                    reader.IsDBNull(2) ? null : new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero));
            }
        }
    }
}
