using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Totp;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>
/// An authenticator or recovery-code attempt in one round trip: the reservation and the read of what the engine
/// evaluates, as one batch (so a verify is this and the settle: two round trips).
/// </summary>
internal sealed partial class PostgreSqlChallengeStore : IChallengeAttemptStore
{
    public async ValueTask<ReservedAttempt> ReserveAndReadAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, string? recoveryLookupId, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(tenant, nameof(tenant));
        CheckHash(tokenHash, nameof(tokenHash));

        // PostgreSQL text cannot hold NUL, so no stored lookup id has one: such a code has no candidates.
        var readCodes = recoveryLookupId is not null && !recoveryLookupId.Contains('\0', StringComparison.Ordinal);
        var batch = _dataSource.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            var reserve = new NpgsqlBatchCommand(_sql.Reserve.Text);
            AddKey(reserve, tenant, tokenHash);
            reserve.Parameters.Add(new NpgsqlParameter<long>("now", now.UtcTicks));
            reserve.Parameters.Add(new NpgsqlParameter<int>("max_attempts", limits.MaxAttempts));
            _sql.Reserve.Bind(reserve.Parameters);
            batch.BatchCommands.Add(reserve);

            var readStatement = recoveryLookupId is null ? _sql.ReservedEnrollment : _sql.ReservedRecoveryCodes;
            var read = new NpgsqlBatchCommand(readStatement.Text);
            AddKey(read, tenant, tokenHash);
            if (recoveryLookupId is not null)
            {
                read.Parameters.Add(new NpgsqlParameter<string>("lookup", readCodes ? recoveryLookupId : string.Empty));
            }

            readStatement.Bind(read.Parameters);
            batch.BatchCommands.Add(read);

            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return new ReservedAttempt(ChallengeStoreResult.NotFound, null, [], []);
                }

                var outcome = (ChallengeStoreOutcome)reader.GetInt32(0);
                var principalId = reader.GetInt64(1);
                var factor = (FactorTypes)reader.GetInt32(2);
                if (outcome != ChallengeStoreOutcome.Reserved)
                {
                    return new ReservedAttempt(Refusal(outcome, principalId, reader, 3) with { Factor = factor }, null, [], []);
                }

                var reserved = ChallengeStoreResult.Reserved(principalId, factor, Attempts(reader, 4));
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                return recoveryLookupId is null
                    ? new ReservedAttempt(reserved, await PostgreSqlTotpStore.ReadEnrollmentAsync(reader, cancellationToken).ConfigureAwait(false), [], [])
                    : await ReadRecoveryCodesAsync(reserved, reader, readCodes, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<ReservedAttempt> ReadRecoveryCodesAsync(ChallengeStoreResult reserved, NpgsqlDataReader reader, bool readCodes, CancellationToken cancellationToken)
    {
        var unused = new List<RecoveryCodeHash>();
        var used = new List<RecoveryCodeHash>();
        while (readCodes && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var code = new RecoveryCodeHash(reader.GetString(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<byte[]>(2), reader.GetInt32(3));
            (reader.GetBoolean(4) ? used : unused).Add(code);
        }

        return new ReservedAttempt(reserved, null, unused, used);
    }

    private static void AddKey(NpgsqlBatchCommand command, TenantId tenant, ReadOnlyMemory<byte> tokenHash)
    {
        command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("token", tokenHash));
    }
}
