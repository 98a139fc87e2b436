using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>The challenge store's operations on a principal as a whole, step-up redemption, revocation and cleanup.</summary>
internal sealed partial class PostgreSqlChallengeStore
{
    public async ValueTask<bool> RedeemStepUpAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, long principalId, DateTimeOffset passedAfter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(tenant, nameof(tenant));
        CheckHash(tokenHash, nameof(tokenHash));

        var command = _dataSource.CreateCommand(_sql.RedeemStepUp);
        await using (command.ConfigureAwait(false))
        {
            AddKey(command, tenant, tokenHash);
            command.Parameters.Add(new NpgsqlParameter<long>("principal", principalId));
            command.Parameters.Add(new NpgsqlParameter<long>("passed_after", passedAfter.UtcTicks));
            command.Parameters.Add(new NpgsqlParameter<long>("now", now.UtcTicks));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    public async ValueTask<ChallengeStoreResult> RecordFailureAsync(TenantId tenant, long principalId, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(tenant, nameof(tenant));

        // One run answers, unless the principal had no row and a concurrent first failure made one whose lockout then
        // refused this one: the next run finds the row and reads that lockout (or, if the principal was removed in
        // between, makes a fresh row and counts).
        for (var run = 0; ; run++)
        {
            var command = _dataSource.CreateCommand(_sql.RecordFailure);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
                command.Parameters.Add(new NpgsqlParameter<long>("principal", principalId));
                AddLockoutLimits(command, now, limits);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    if (!reader.IsDBNull(1))
                    {
                        return ChallengeStoreResult.WrongCode(principalId, 0, NullableTicks(reader, 2));
                    }

                    if (!reader.IsDBNull(0))
                    {
                        return ChallengeStoreResult.PrincipalLocked(principalId, FromTicks(reader.GetInt64(0)));
                    }

                    if (run > 0)
                    {
                        throw new InvalidOperationException("The principal's failure count could neither be counted nor read.");
                    }
                }
            }
        }
    }

    public async ValueTask<bool> RevokeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(tenant, nameof(tenant));
        CheckHash(tokenHash, nameof(tokenHash));

        var batch = _dataSource.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            foreach (var sql in new[] { _sql.RevokeLock, _sql.Revoke })
            {
                var command = new NpgsqlBatchCommand(sql);
                command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
                command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("token", tokenHash));
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return batch.BatchCommands[1].RecordsAffected > 0;
        }
    }

    public async ValueTask<bool> RemovePrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(tenant, nameof(tenant));

        // Lock the principal's row, then delete its challenges and the row.
        var batch = PrincipalBatch(tenant, principalId, _sql.PrincipalLock, _sql.RemovePrincipalChallenges, _sql.RemovePrincipalRow);
        await using (batch.ConfigureAwait(false))
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return batch.BatchCommands[1].RecordsAffected + batch.BatchCommands[2].RecordsAffected > 0;
        }
    }

    public async ValueTask<bool> ResetPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(tenant, nameof(tenant));

        var batch = PrincipalBatch(tenant, principalId, _sql.PrincipalLock, _sql.ResetPrincipal);
        await using (batch.ConfigureAwait(false))
        {
            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                // The lock statement's result set (the locked row, if any) comes first.
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return reader.GetBoolean(0);
            }
        }
    }

    public async ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        cancellationToken.ThrowIfCancellationRequested();

        var command = _dataSource.CreateCommand(_sql.PurgeExpired);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<long>("now", now.UtcTicks));
            command.Parameters.Add(new NpgsqlParameter<int>("batch", batchSize));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A batch of <paramref name="statements"/>, each keyed by (tenant, principal).</summary>
    private NpgsqlBatch PrincipalBatch(TenantId tenant, long principalId, params string[] statements)
    {
        var batch = _dataSource.CreateBatch();
        foreach (var sql in statements)
        {
            PostgreSqlCommands.AddKeyed(batch, sql, tenant, principalId);
        }

        return batch;
    }

    /// <summary><c>@now</c> and the limits <see cref="ChallengeStatements.LockUntil"/> reads.</summary>
    private static void AddLockoutLimits(NpgsqlCommand command, DateTimeOffset now, ChallengeLimits limits)
    {
        command.Parameters.Add(new NpgsqlParameter<long>("now", now.UtcTicks));
        command.Parameters.Add(new NpgsqlParameter<int>("threshold", limits.LockoutThreshold));
        command.Parameters.Add(new NpgsqlParameter<long>("duration", limits.LockoutDuration.Ticks));
        command.Parameters.Add(new NpgsqlParameter<int>("max_failures", limits.MaxConsecutiveFailures));
    }

    private static void AddKey(NpgsqlCommand command, TenantId tenant, ReadOnlyMemory<byte> tokenHash)
    {
        command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("token", tokenHash));
    }

    /// <summary>Attempts after an evaluated or reserved one; a missing count means the statement did not take it, so fail closed.</summary>
    private static int Attempts(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal)
        ? throw new InvalidOperationException("The attempt was taken but not recorded.")
        : reader.GetInt32(ordinal);

    private static DateTimeOffset? NullableTicks(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : FromTicks(reader.GetInt64(ordinal));

    private static DateTimeOffset FromTicks(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    private static void CheckTenant(TenantId tenant, string paramName)
    {
        if (!tenant.IsValid)
        {
            throw new ArgumentException("The tenant id must be positive.", paramName);
        }
    }

    private static void CheckHash(ReadOnlyMemory<byte> hash, string paramName)
    {
        if (hash.Length != IChallengeStore.HashLength)
        {
            throw new ArgumentException($"Hashes and digests are {IChallengeStore.HashLength} bytes.", paramName);
        }
    }
}
