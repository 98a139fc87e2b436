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

                return ReadLockState(reader, 0);
            }
        }
    }

    /// <summary>A <c>principal_lockouts</c> row's failures, lockout end and last send, read from column <paramref name="first"/> on.</summary>
    internal static PrincipalLockState ReadLockState(NpgsqlDataReader reader, int first) =>
        new(reader.GetInt32(first), NullableTicks(reader, first + 1), NullableTicks(reader, first + 2));
}
