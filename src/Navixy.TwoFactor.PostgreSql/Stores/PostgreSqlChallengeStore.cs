using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;
using Npgsql;
using NpgsqlTypes;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>
/// The challenge store over PostgreSQL, giving the in-memory store's answers on every node that shares the database.
/// Each operation is one round trip: one statement, or for a start and a principal's removal one batch in one
/// transaction (see <see cref="ChallengeStatements"/> for how they stay atomic across nodes). Times are stored as UTC
/// ticks, so every comparison is exact to the engine's tick. A failure (<see cref="NpgsqlException"/>) leaves the rows as
/// they were: a statement or batch applies whole or not at all.
/// </summary>
internal sealed partial class PostgreSqlChallengeStore(PostgreSqlDatabase database) : IChallengeStore
{
    private readonly NpgsqlDataSource _dataSource = database.DataSource;
    private readonly ChallengeStatements _sql = new(database.Schema);

    public async ValueTask<ChallengeStoreResult> CreateAsync(NewChallenge challenge, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(challenge.Tenant, nameof(challenge));
        CheckHash(challenge.TokenHash, nameof(challenge));
        CheckHash(challenge.CodeDigest, nameof(challenge));

        var batch = _dataSource.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            var lockRow = new NpgsqlBatchCommand(_sql.CreateLock.Text);
            lockRow.Parameters.Add(new NpgsqlParameter<long>("tenant", challenge.Tenant.Value));
            lockRow.Parameters.Add(new NpgsqlParameter<long>("principal", challenge.PrincipalId));
            _sql.CreateLock.Bind(lockRow.Parameters);
            batch.BatchCommands.Add(lockRow);

            var create = new NpgsqlBatchCommand(_sql.Create.Text);
            create.Parameters.Add(new NpgsqlParameter<long>("tenant", challenge.Tenant.Value));
            create.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("token", challenge.TokenHash));
            create.Parameters.Add(new NpgsqlParameter<long>("principal", challenge.PrincipalId));
            create.Parameters.Add(new NpgsqlParameter<int>("factor", (int)challenge.Factor));
            create.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("digest", challenge.CodeDigest));
            create.Parameters.Add(new NpgsqlParameter<long>("created_at", challenge.CreatedAt.UtcTicks));
            create.Parameters.Add(new NpgsqlParameter<long>("code_expires_at", challenge.CodeExpiresAt.UtcTicks));
            create.Parameters.Add(new NpgsqlParameter<long>("expires_at", challenge.ExpiresAt.UtcTicks));
            create.Parameters.Add(new NpgsqlParameter<long>("resend_at", challenge.ResendAvailableAt.UtcTicks));
            create.Parameters.Add(new NpgsqlParameter<long>("send_cooldown", limits.SendCooldown.Ticks));
            create.Parameters.Add(new NpgsqlParameter<int>("max_open", limits.MaxOpenChallenges));
            _sql.Create.Bind(create.Parameters);
            batch.BatchCommands.Add(create);

            try
            {
                var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    // The lock statement returns no rows; the decision is the batch's one result set.
                    await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    var outcome = (ChallengeStoreOutcome)reader.GetInt32(0);
                    return outcome switch
                    {
                        ChallengeStoreOutcome.Created => ChallengeStoreResult.Created,
                        ChallengeStoreOutcome.PrincipalLocked => ChallengeStoreResult.PrincipalLocked(challenge.PrincipalId, FromTicks(reader.GetInt64(1))),
                        ChallengeStoreOutcome.TooSoon => ChallengeStoreResult.TooSoon(challenge.PrincipalId, FromTicks(reader.GetInt64(2)) + limits.SendCooldown),
                        _ => throw new InvalidOperationException($"The start answered {outcome}."),
                    };
                }
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "challenges_pkey")
            {
                // 256-bit random tokens do not collide; a duplicate means the caller reused a token hash. Nothing was written.
                throw new InvalidOperationException("A challenge with this token hash already exists.", e);
            }
        }
    }

    public async ValueTask<ChallengeStoreResult> VerifyAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(tenant, nameof(tenant));
        CheckHash(tokenHash, nameof(tokenHash));
        CheckHash(codeDigest, nameof(codeDigest));

        var command = _dataSource.CreateCommand(_sql.Verify.Text);
        await using (command.ConfigureAwait(false))
        {
            AddKey(command, tenant, tokenHash);
            command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("digest", codeDigest));
            command.Parameters.Add(new NpgsqlParameter<int>("max_attempts", limits.MaxAttempts));
            AddLockoutLimits(command, now, limits);
            _sql.Verify.Bind(command.Parameters);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return ChallengeStoreResult.NotFound;
                }

                var outcome = (ChallengeStoreOutcome)reader.GetInt32(0);
                var principalId = reader.GetInt64(1);
                return outcome switch
                {
                    ChallengeStoreOutcome.Passed => ChallengeStoreResult.Passed(principalId, Attempts(reader, 3)),
                    ChallengeStoreOutcome.WrongCode => ChallengeStoreResult.WrongCode(principalId, Attempts(reader, 3), NullableTicks(reader, 4)),
                    _ => Refusal(outcome, principalId, reader, 2),
                };
            }
        }
    }

    public async ValueTask<ChallengeStoreResult> ReserveAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(tenant, nameof(tenant));
        CheckHash(tokenHash, nameof(tokenHash));

        var command = _dataSource.CreateCommand(_sql.Reserve.Text);
        await using (command.ConfigureAwait(false))
        {
            AddKey(command, tenant, tokenHash);
            command.Parameters.Add(new NpgsqlParameter<long>("now", now.UtcTicks));
            command.Parameters.Add(new NpgsqlParameter<int>("max_attempts", limits.MaxAttempts));
            _sql.Reserve.Bind(command.Parameters);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return ChallengeStoreResult.NotFound;
                }

                var outcome = (ChallengeStoreOutcome)reader.GetInt32(0);
                var principalId = reader.GetInt64(1);
                var factor = (FactorTypes)reader.GetInt32(2);
                return outcome == ChallengeStoreOutcome.Reserved
                    ? ChallengeStoreResult.Reserved(principalId, factor, Attempts(reader, 4))
                    : Refusal(outcome, principalId, reader, 3) with { Factor = factor };
            }
        }
    }

    public async ValueTask<ChallengeStoreResult> SettleAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ChallengeSettlement settlement, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(tenant, nameof(tenant));
        CheckHash(tokenHash, nameof(tokenHash));

        var statement = _sql.Settle(settlement.Kind);
        var command = _dataSource.CreateCommand(statement.Text);
        await using (command.ConfigureAwait(false))
        {
            AddKey(command, tenant, tokenHash);
            AddSettlement(command, settlement);
            AddLockoutLimits(command, now, limits);
            statement.Bind(command.Parameters);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return ChallengeStoreResult.NotFound;
                }

                var outcome = (ChallengeStoreOutcome)reader.GetInt32(0);
                var principalId = reader.GetInt64(1);
                return outcome switch
                {
                    ChallengeStoreOutcome.Passed => ChallengeStoreResult.Passed(principalId, reader.GetInt32(2)),
                    ChallengeStoreOutcome.WrongCode => ChallengeStoreResult.WrongCode(principalId, reader.GetInt32(2), NullableTicks(reader, 3)),
                    ChallengeStoreOutcome.Released => ChallengeStoreResult.Released(principalId),
                    _ => ChallengeStoreResult.Refused(outcome, principalId),
                };
            }
        }
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
                var found = outcome == ChallengeStoreOutcome.Open ? ChallengeStoreResult.Open(principalId, factor) : Refusal(outcome, principalId, reader, 2);
                return found with { Factor = factor };
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
                    default:
                        return Refusal(outcome, principalId, reader, 2);
                }
            }
        }
    }

    /// <summary>A refusal of an attempt, resend or find; a lockout answer carries its end from column <paramref name="lockedUntil"/>.</summary>
    private static ChallengeStoreResult Refusal(ChallengeStoreOutcome outcome, long principalId, NpgsqlDataReader reader, int lockedUntil) => outcome switch
    {
        ChallengeStoreOutcome.PrincipalLocked => ChallengeStoreResult.PrincipalLocked(principalId, FromTicks(reader.GetInt64(lockedUntil))),
        ChallengeStoreOutcome.Busy => ChallengeStoreResult.Busy(principalId),
        _ => ChallengeStoreResult.Refused(outcome, principalId),
    };

    /// <summary>
    /// A settlement's proof, for the statement of its kind (which has no parameter for a proof it does not spend). A proof
    /// the settlement lacks is null, and so is a recovery code PostgreSQL text cannot hold (a NUL in its lookup id, as
    /// <see cref="PostgreSqlTotpStore.TryMarkUsedAsync"/> refuses): a null never equals a stored value, so such a pass
    /// spends nothing and answers as a proof spent elsewhere.
    /// </summary>
    private static void AddSettlement(NpgsqlCommand command, ChallengeSettlement settlement)
    {
        var code = settlement.Kind == ChallengeSettlementKind.PassWithRecoveryCode
            && settlement.RecoveryCode is { LookupId: { } lookup, Hash: not null } recovery
            && !lookup.Contains('\0', StringComparison.Ordinal)
            ? recovery
            : null;
        if (settlement.Kind == ChallengeSettlementKind.PassWithTimeStep)
        {
            var timeStep = settlement.ActiveSecret is not null;
            command.Parameters.Add(new NpgsqlParameter("secret", NpgsqlDbType.Bytea) { Value = timeStep ? settlement.ActiveSecret! : DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("step", NpgsqlDbType.Bigint) { Value = timeStep ? settlement.TimeStep : DBNull.Value });
        }
        else if (settlement.Kind == ChallengeSettlementKind.PassWithRecoveryCode)
        {
            command.Parameters.Add(new NpgsqlParameter("lookup", NpgsqlDbType.Text) { Value = code is null ? DBNull.Value : code.LookupId });
            command.Parameters.Add(new NpgsqlParameter("hash", NpgsqlDbType.Bytea) { Value = code is null ? DBNull.Value : code.Hash });
        }
    }
}
