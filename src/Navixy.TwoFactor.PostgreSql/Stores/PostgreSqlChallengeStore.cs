using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>
/// The challenge store over PostgreSQL, giving the in-memory store's answers on every node that shares the database.
/// Each operation is one statement in one round trip (see <see cref="ChallengeStatements"/> for how verify and resend
/// stay atomic across nodes). Times are stored as UTC ticks, so every comparison is exact to the engine's tick. A
/// failure (<see cref="NpgsqlException"/>) leaves the rows as they were: a statement applies whole or not at all.
/// </summary>
internal sealed class PostgreSqlChallengeStore(PostgreSqlDatabase database) : IChallengeStore
{
    private readonly NpgsqlDataSource _dataSource = database.DataSource;
    private readonly ChallengeStatements _sql = new(database.Schema);

    public async ValueTask<ChallengeStoreResult> CreateAsync(NewChallenge challenge, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(challenge.Tenant, nameof(challenge));
        CheckHash(challenge.TokenHash, nameof(challenge));
        CheckHash(challenge.CodeDigest, nameof(challenge));

        var command = _dataSource.CreateCommand(_sql.Create);
        await using (command.ConfigureAwait(false))
        {
            AddKey(command, challenge.Tenant, challenge.TokenHash);
            command.Parameters.Add(new NpgsqlParameter<long>("principal", challenge.PrincipalId));
            command.Parameters.Add(new NpgsqlParameter<int>("factor", (int)challenge.Factor));
            command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("digest", challenge.CodeDigest));
            command.Parameters.Add(new NpgsqlParameter<long>("created_at", challenge.CreatedAt.UtcTicks));
            command.Parameters.Add(new NpgsqlParameter<long>("code_expires_at", challenge.CodeExpiresAt.UtcTicks));
            command.Parameters.Add(new NpgsqlParameter<long>("expires_at", challenge.ExpiresAt.UtcTicks));
            command.Parameters.Add(new NpgsqlParameter<long>("resend_at", challenge.ResendAvailableAt.UtcTicks));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (!reader.IsDBNull(0))
                {
                    return ChallengeStoreResult.PrincipalLocked(challenge.PrincipalId, FromTicks(reader.GetInt64(0)));
                }

                // 256-bit random tokens do not collide; a duplicate means the caller reused a token hash.
                return reader.GetBoolean(1)
                    ? ChallengeStoreResult.Created
                    : throw new InvalidOperationException("A challenge with this token hash already exists.");
            }
        }
    }

    public ValueTask<ChallengeStoreResult> VerifyAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(tenant, nameof(tenant));
        CheckHash(tokenHash, nameof(tokenHash));
        CheckHash(codeDigest, nameof(codeDigest));
        return AttemptAsync(_sql.Verify, tenant, tokenHash, codeDigest, now, limits, cancellationToken);
    }

    public ValueTask<ChallengeStoreResult> ConsumeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(tenant, nameof(tenant));
        CheckHash(tokenHash, nameof(tokenHash));
        return AttemptAsync(_sql.Consume, tenant, tokenHash, codeDigest: null, now, limits, cancellationToken);
    }

    public async ValueTask<ChallengeStoreResult> FindAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(tenant, nameof(tenant));
        CheckHash(tokenHash, nameof(tokenHash));

        var command = _dataSource.CreateCommand(_sql.Find);
        await using (command.ConfigureAwait(false))
        {
            AddKey(command, tenant, tokenHash);
            command.Parameters.Add(new NpgsqlParameter<long>("now", now.UtcTicks));
            command.Parameters.Add(new NpgsqlParameter<int>("max_attempts", limits.MaxAttempts));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return ChallengeStoreResult.NotFound;
                }

                var principalId = reader.GetInt64(0);
                var factor = (FactorTypes)reader.GetInt32(1);
                var outcome = (ChallengeStoreOutcome)reader.GetInt32(3);
                var found = outcome switch
                {
                    ChallengeStoreOutcome.Open => ChallengeStoreResult.Open(principalId, factor),
                    ChallengeStoreOutcome.PrincipalLocked => ChallengeStoreResult.PrincipalLocked(principalId, FromTicks(reader.GetInt64(2))),
                    _ => ChallengeStoreResult.Refused(outcome, principalId),
                };
                return found with { Factor = factor };
            }
        }
    }

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
        // refused this one: the next run finds the row (the library never deletes it) and reads that lockout.
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
                        return ChallengeStoreResult.WrongCode(principalId, 0, reader.IsDBNull(2) ? null : FromTicks(reader.GetInt64(2)));
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

    public async ValueTask<ChallengeStoreResult> ReplaceCodeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, DateTimeOffset codeExpiresAt, DateTimeOffset nextResendAt, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(tenant, nameof(tenant));
        CheckHash(tokenHash, nameof(tokenHash));
        CheckHash(codeDigest, nameof(codeDigest));

        var command = _dataSource.CreateCommand(_sql.ReplaceCode);
        await using (command.ConfigureAwait(false))
        {
            AddKey(command, tenant, tokenHash);
            command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("digest", codeDigest));
            command.Parameters.Add(new NpgsqlParameter<long>("now", now.UtcTicks));
            command.Parameters.Add(new NpgsqlParameter<long>("code_expires_at", codeExpiresAt.UtcTicks));
            command.Parameters.Add(new NpgsqlParameter<long>("resend_at", nextResendAt.UtcTicks));
            command.Parameters.Add(new NpgsqlParameter<int>("max_attempts", limits.MaxAttempts));
            command.Parameters.Add(new NpgsqlParameter<int>("max_sends", limits.MaxSends));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return ChallengeStoreResult.NotFound;
                }

                var outcome = (ChallengeStoreOutcome)reader.GetInt32(0);
                var principalId = reader.GetInt64(1);
                switch (outcome)
                {
                    case ChallengeStoreOutcome.CodeReplaced:
                        if (reader.IsDBNull(4))
                        {
                            throw new InvalidOperationException("The challenge was decided replaceable but not replaced.");
                        }

                        return ChallengeStoreResult.CodeReplaced(principalId, reader.GetInt32(4), FromTicks(reader.GetInt64(5)), FromTicks(reader.GetInt64(6)));
                    case ChallengeStoreOutcome.NoCodeToSend:
                        return ChallengeStoreResult.NoCodeToSend(principalId, (FactorTypes)reader.GetInt32(7));
                    case ChallengeStoreOutcome.TooSoon:
                        return ChallengeStoreResult.TooSoon(principalId, FromTicks(reader.GetInt64(3)));
                    case ChallengeStoreOutcome.PrincipalLocked:
                        return ChallengeStoreResult.PrincipalLocked(principalId, FromTicks(reader.GetInt64(2)));
                    default:
                        return ChallengeStoreResult.Refused(outcome, principalId);
                }
            }
        }
    }

    public async ValueTask<bool> RevokeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(tenant, nameof(tenant));
        CheckHash(tokenHash, nameof(tokenHash));

        var command = _dataSource.CreateCommand(_sql.Revoke);
        await using (command.ConfigureAwait(false))
        {
            AddKey(command, tenant, tokenHash);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    public async ValueTask<bool> ResetPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(tenant, nameof(tenant));

        var command = _dataSource.CreateCommand(_sql.ResetPrincipal);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
            command.Parameters.Add(new NpgsqlParameter<long>("principal", principalId));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
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

    /// <summary>Runs verify (with the presented digest) or consume (without) and reads its answer.</summary>
    private async ValueTask<ChallengeStoreResult> AttemptAsync(string sql, TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte>? codeDigest, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        var command = _dataSource.CreateCommand(sql);
        await using (command.ConfigureAwait(false))
        {
            AddKey(command, tenant, tokenHash);
            if (codeDigest is { } digest)
            {
                command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("digest", digest));
            }

            command.Parameters.Add(new NpgsqlParameter<int>("max_attempts", limits.MaxAttempts));
            AddLockoutLimits(command, now, limits);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return ChallengeStoreResult.NotFound;
                }

                var outcome = (ChallengeStoreOutcome)reader.GetInt32(0);
                var principalId = reader.GetInt64(1);
                switch (outcome)
                {
                    case ChallengeStoreOutcome.Passed:
                        return ChallengeStoreResult.Passed(principalId, Attempts(reader));
                    case ChallengeStoreOutcome.WrongCode:
                        return ChallengeStoreResult.WrongCode(principalId, Attempts(reader), reader.IsDBNull(4) ? null : FromTicks(reader.GetInt64(4)));
                    case ChallengeStoreOutcome.PrincipalLocked:
                        return ChallengeStoreResult.PrincipalLocked(principalId, FromTicks(reader.GetInt64(2)));
                    default:
                        return ChallengeStoreResult.Refused(outcome, principalId);
                }
            }
        }
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

    /// <summary>Attempts after an evaluated one; a missing count means the statement did not spend it, so fail closed.</summary>
    private static int Attempts(NpgsqlDataReader reader) => reader.IsDBNull(3)
        ? throw new InvalidOperationException("The attempt was evaluated but not recorded.")
        : reader.GetInt32(3);

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
