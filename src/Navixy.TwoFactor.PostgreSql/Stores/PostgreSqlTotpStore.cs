using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>
/// Authenticator enrolments and recovery codes over PostgreSQL, giving the in-memory store's answers on every node that
/// shares the database. Each operation is one round trip: one statement, or for replacing and deleting recovery codes one
/// batch in one transaction (see <see cref="TotpStatements"/> for how the conditional updates refuse replays across nodes). A failure (<see cref="NpgsqlException"/>) leaves the rows as they
/// were.
/// </summary>
internal sealed partial class PostgreSqlTotpStore(PostgreSqlDatabase database) : ITotpEnrollmentStore, IRecoveryCodeStore, ITotpSecretRewrapStore
{
    private readonly NpgsqlDataSource _dataSource = database.DataSource;
    private readonly TotpStatements _sql = new(database.Schema);

    public async ValueTask<TotpEnrollmentRecord?> GetAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        var command = Command(_sql.GetEnrollment, tenant, principalId, cancellationToken);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await ReadEnrollmentAsync(reader, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads the row (if any) a <see cref="TotpStatements.GetEnrollment"/>-shaped statement answers.</summary>
    internal static async Task<TotpEnrollmentRecord?> ReadEnrollmentAsync(NpgsqlDataReader reader, CancellationToken cancellationToken) =>
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadEnrollment(reader, 0) : null;

    /// <summary>Reads an enrolment row's four columns from <paramref name="first"/> on, in <see cref="TotpStatements.GetEnrollment"/>'s order.</summary>
    internal static TotpEnrollmentRecord ReadEnrollment(NpgsqlDataReader reader, int first) =>
        // As the in-memory store keeps them: no step while not enrolled, no expiry without a pending secret.
        new(
            reader.IsDBNull(first) ? null : reader.GetFieldValue<byte[]>(first),
            reader.IsDBNull(first + 1) ? long.MinValue : reader.GetInt64(first + 1),
            reader.IsDBNull(first + 2) ? null : reader.GetFieldValue<byte[]>(first + 2),
            reader.IsDBNull(first + 3) ? default : new DateTimeOffset(reader.GetInt64(first + 3), TimeSpan.Zero));

    public async ValueTask SavePendingAsync(TenantId tenant, long principalId, byte[] protectedSecret, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(protectedSecret);
        var command = Command(_sql.SavePending, tenant, principalId, cancellationToken);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<byte[]>("secret", protectedSecret));
            command.Parameters.Add(new NpgsqlParameter<long>("expires_at", expiresAt.UtcTicks));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<bool> ActivatePendingAsync(TenantId tenant, long principalId, byte[] expectedPendingSecret, long acceptedStep, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expectedPendingSecret);
        var command = Command(_sql.ActivatePending, tenant, principalId, cancellationToken);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<byte[]>("expected", expectedPendingSecret));
            command.Parameters.Add(new NpgsqlParameter<long>("step", acceptedStep));
            command.Parameters.Add(new NpgsqlParameter<long>("now", now.UtcTicks));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    public async ValueTask<bool> TryAdvanceStepAsync(TenantId tenant, long principalId, byte[] expectedActiveSecret, long matchedStep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expectedActiveSecret);
        var command = Command(_sql.TryAdvanceStep, tenant, principalId, cancellationToken);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<byte[]>("expected", expectedActiveSecret));
            command.Parameters.Add(new NpgsqlParameter<long>("step", matchedStep));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    public async ValueTask<bool> DeleteAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        var command = Command(_sql.DeleteEnrollment, tenant, principalId, cancellationToken);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    public async ValueTask ReplaceAsync(TenantId tenant, long principalId, IReadOnlyList<RecoveryCodeHash> codes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(codes);
        foreach (var code in codes)
        {
            ArgumentNullException.ThrowIfNull(code, nameof(codes));
            if (code.LookupId is null || code.Salt is null || code.Hash is null || code.LookupId.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException("Every recovery code needs a lookup id (without NUL), a salt and a hash.", nameof(codes));
            }
        }

        var batch = LockedRecoveryCodes(tenant, principalId, cancellationToken);
        await using (batch.ConfigureAwait(false))
        {
            var insert = PostgreSqlCommands.AddKeyed(batch, _sql.InsertRecoveryCodes, tenant, principalId);
            insert.Parameters.Add(new NpgsqlParameter<string[]>("lookups", codes.Select(c => c.LookupId).ToArray()));
            insert.Parameters.Add(new NpgsqlParameter<byte[][]>("hashes", codes.Select(c => c.Hash).ToArray()));
            insert.Parameters.Add(new NpgsqlParameter<byte[][]>("salts", codes.Select(c => c.Salt).ToArray()));
            insert.Parameters.Add(new NpgsqlParameter<int[]>("iterations", codes.Select(c => c.Iterations).ToArray()));
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<IReadOnlyList<TotpActiveSecret>> ListActiveSecretsAsync(TenantId? tenant, TotpActiveSecret? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        if (tenant is { } one)
        {
            CheckTenant(one);
        }

        var command = _dataSource.CreateCommand(_sql.ListActiveSecrets);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter("tenant_only", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = tenant is { } t ? t.Value : DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter<long>("after_tenant", after?.Tenant.Value ?? long.MinValue));
            command.Parameters.Add(new NpgsqlParameter<long>("after_principal", after?.PrincipalId ?? long.MinValue));
            command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var page = new List<TotpActiveSecret>(Math.Min(limit, 1024));
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    page.Add(new TotpActiveSecret(new TenantId(reader.GetInt64(0)), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2)));
                }

                return page;
            }
        }
    }

    public async ValueTask<bool> TryReplaceActiveSecretAsync(TenantId tenant, long principalId, byte[] expectedActiveSecret, byte[] replacement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expectedActiveSecret);
        ArgumentNullException.ThrowIfNull(replacement);
        var command = Command(_sql.ReplaceActiveSecret, tenant, principalId, cancellationToken);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<byte[]>("expected", expectedActiveSecret));
            command.Parameters.Add(new NpgsqlParameter<byte[]>("secret", replacement));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    public ValueTask<IReadOnlyList<RecoveryCodeHash>> FindUnusedAsync(TenantId tenant, long principalId, string lookupId, CancellationToken cancellationToken) =>
        FindRecoveryCodesAsync(_sql.FindUnusedRecoveryCodes, tenant, principalId, lookupId, cancellationToken);

    public ValueTask<IReadOnlyList<RecoveryCodeHash>> FindUsedAsync(TenantId tenant, long principalId, string lookupId, CancellationToken cancellationToken) =>
        FindRecoveryCodesAsync(_sql.FindUsedRecoveryCodes, tenant, principalId, lookupId, cancellationToken);

    private async ValueTask<IReadOnlyList<RecoveryCodeHash>> FindRecoveryCodesAsync(string sql, TenantId tenant, long principalId, string lookupId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookupId);
        if (lookupId.Contains('\0', StringComparison.Ordinal))
        {
            // PostgreSQL text cannot hold NUL, so no stored lookup id has one; answer as for any unknown id.
            cancellationToken.ThrowIfCancellationRequested();
            return [];
        }

        var command = Command(sql, tenant, principalId, cancellationToken);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<string>("lookup", lookupId));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var found = new List<RecoveryCodeHash>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    found.Add(new RecoveryCodeHash(reader.GetString(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<byte[]>(2), reader.GetInt32(3)));
                }

                return found;
            }
        }
    }

    public async ValueTask<bool> TryMarkUsedAsync(TenantId tenant, long principalId, RecoveryCodeHash code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.LookupId is null || code.Hash is null || code.LookupId.Contains('\0', StringComparison.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }

        var command = Command(_sql.MarkRecoveryCodeUsed, tenant, principalId, cancellationToken);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<string>("lookup", code.LookupId));
            command.Parameters.Add(new NpgsqlParameter<byte[]>("hash", code.Hash));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    public async ValueTask<int> CountUnusedAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        var command = Command(_sql.CountUnusedRecoveryCodes, tenant, principalId, cancellationToken);
        await using (command.ConfigureAwait(false))
        {
            return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    public async ValueTask<int> DeleteAllAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        var batch = LockedRecoveryCodes(tenant, principalId, cancellationToken);
        await using (batch.ConfigureAwait(false))
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return batch.BatchCommands[1].RecordsAffected;
        }
    }

    /// <summary>A batch that takes the principal's recovery-code lock and deletes its codes; a replace adds its insert.</summary>
    private NpgsqlBatch LockedRecoveryCodes(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(tenant);
        var batch = _dataSource.CreateBatch();
        PostgreSqlCommands.AddKeyed(batch, _sql.LockRecoveryCodes, tenant, principalId);
        PostgreSqlCommands.AddKeyed(batch, _sql.DeleteRecoveryCodes, tenant, principalId);
        return batch;
    }

    /// <summary>Checks the call and makes a command keyed by (tenant, principal).</summary>
    private NpgsqlCommand Command(string sql, TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckTenant(tenant);
        var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
        command.Parameters.Add(new NpgsqlParameter<long>("principal", principalId));
        return command;
    }

    private static void CheckTenant(TenantId tenant)
    {
        if (!tenant.IsValid)
        {
            throw new ArgumentException("The tenant id must be positive.", nameof(tenant));
        }
    }
}
