using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.AuditTrail;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>
/// The policy stores over PostgreSQL, giving the in-memory store's answers on every node that shares the
/// database. Each operation is one round trip: one statement, or one batch whose statements run in one implicit
/// transaction. A failure (<see cref="NpgsqlException"/>) leaves nothing half-written.
/// </summary>
internal sealed partial class PostgreSqlPolicyStore(PostgreSqlDatabase database, TimeProvider time) : IPrincipalPolicyStore, IPrincipalDirectoryStore, ISettingsStore
{
    /// <summary>How often update-all is repeated when a concurrent writer creates the tenant under it; once suffices.</summary>
    private const int MaxTenantCreationRaces = 8;

    private const short AccountKind = 1;
    private const short SubUserKind = 2;

    private readonly NpgsqlDataSource _dataSource = database.DataSource;
    private readonly PolicyStatements _sql = new(database.Schema);

    public async ValueTask<PrincipalPolicy> FindPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _dataSource.CreateCommand(_sql.FindPrincipal);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
            command.Parameters.Add(new NpgsqlParameter<long>("id", principalId));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await ReadPrincipalAsync(reader, principalId, 11, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads the one row <see cref="PolicyStatements.FindPrincipal"/> answers.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="principalId">The principal asked about.</param>
    /// <param name="tenantAt">The column of the tenant's version, followed by its pending changes.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    private static async Task<PrincipalPolicy> ReadPrincipalAsync(NpgsqlDataReader reader, long principalId, int tenantAt, CancellationToken cancellationToken)
    {
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var policy = reader.IsDBNull(0) ? TenantPolicy.Initial : ReadTenant(reader, tenantAt);
        if (reader.IsDBNull(3) || reader.IsDBNull(4) || reader.GetInt16(4) != AccountKind)
        {
            return PrincipalPolicy.Unknown(principalId, policy);
        }

        var account = new AccountRecord(
            reader.GetInt64(5),
            (AccountOrigin)reader.GetInt16(6),
            reader.GetBoolean(7),
            SettingCode.To(reader.GetInt32(8)),
            (SettingSource)reader.GetInt16(9),
            reader.GetInt64(10));
        var kind = reader.GetInt16(3) == AccountKind ? PrincipalKind.Account : PrincipalKind.SubUser;
        return new PrincipalPolicy(principalId, kind, account, policy);
    }

    public async ValueTask<TenantPolicy> GetTenantAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _dataSource.CreateCommand(_sql.GetTenant);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadTenant(reader, 3) : TenantPolicy.Initial;
            }
        }
    }

    public async ValueTask<DirectoryResult> AddAccountAsync(TenantId tenant, long accountId, AccountOrigin origin, bool isDemo, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var batch = _dataSource.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            AddLockTenant(batch, tenant);
            var add = Add(batch, _sql.AddAccount, tenant);
            add.Parameters.Add(new NpgsqlParameter<long>("id", accountId));
            add.Parameters.Add(new NpgsqlParameter<short>("origin", (short)origin));
            add.Parameters.Add(new NpgsqlParameter<bool>("demo", isDemo));
            var reader = await ExecuteLockedAsync(batch, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var result = DirectoryResult.Failed(DirectoryErrorCode.AlreadyExists);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var record = new AccountRecord(accountId, origin, isDemo, SettingCode.To(reader.GetInt32(0)), SettingSource.TenantDefault, reader.GetInt64(1));
                    result = DirectoryResult.AccountAdded(record);
                }

                await DrainAsync(reader, cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }

    public async ValueTask<DirectoryResult> AddSubUserAsync(TenantId tenant, long subUserId, long accountId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var batch = _dataSource.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            AddLockTenant(batch, tenant);
            var add = Add(batch, _sql.AddSubUser, tenant);
            add.Parameters.Add(new NpgsqlParameter<long>("id", subUserId));
            add.Parameters.Add(new NpgsqlParameter<long>("account", accountId));
            Add(batch, _sql.DropPlaceholder, tenant);
            var reader = await ExecuteLockedAsync(batch, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var accountFound = reader.GetBoolean(0);
                var added = reader.GetBoolean(1);
                var version = reader.IsDBNull(2) ? 0 : reader.GetInt64(2);
                await DrainAsync(reader, cancellationToken).ConfigureAwait(false);
                return !accountFound ? DirectoryResult.Failed(DirectoryErrorCode.AccountNotFound)
                    : !added ? DirectoryResult.Failed(DirectoryErrorCode.AlreadyExists)
                    : DirectoryResult.Done(1, version);
            }
        }
    }

    public async ValueTask<DirectoryResult> RemoveAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var batch = _dataSource.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            AddLockTenant(batch, tenant);
            Add(batch, _sql.Remove, tenant).Parameters.Add(new NpgsqlParameter<long>("id", principalId));
            Add(batch, _sql.DropPlaceholder, tenant);
            var reader = await ExecuteLockedAsync(batch, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var removed = reader.GetFieldValue<long[]>(0);
                var version = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
                await DrainAsync(reader, cancellationToken).ConfigureAwait(false);
                return removed.Length == 0 ? DirectoryResult.Failed(DirectoryErrorCode.NotFound) : DirectoryResult.Removed(removed, version);
            }
        }
    }

    public async ValueTask<SettingsUpdateResult> UpdateAllAsync(TenantId tenant, TwoFactorSetting setting, bool includeDefault, bool dryRun, AuditContext audit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var code = SettingCode.From(setting);
        if (dryRun)
        {
            var dry = _dataSource.CreateBatch();
            await using (dry.ConfigureAwait(false))
            {
                AddApplyDue(dry, tenant);
                Add(dry, _sql.UpdateAllDryRun, tenant).Parameters.Add(new NpgsqlParameter<int>("setting", code));
                var reader = await ExecuteAfterAsync(dry, 1, cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    return SettingsUpdateResult.WouldApply(await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && !reader.IsDBNull(0) ? reader.GetInt64(0) : 0);
                }
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            var batch = _dataSource.CreateBatch();
            await using (batch.ConfigureAwait(false))
            {
                AddApplyDue(batch, tenant);
                var update = Add(batch, _sql.UpdateAll, tenant);
                update.Parameters.Add(new NpgsqlParameter<int>("setting", code));
                update.Parameters.Add(new NpgsqlParameter<bool>("include_default", includeDefault));
                AddAudit(update.Parameters, audit);
                var reader = await ExecuteAfterAsync(batch, 1, cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return SettingsUpdateResult.Applied(reader.GetInt64(1), reader.GetInt64(0));
                    }
                }
            }

            if (attempt == MaxTenantCreationRaces)
            {
                throw new InvalidOperationException("The tenant row kept changing under an update of all accounts; nothing was written.");
            }
        }
    }

    public async ValueTask<SettingsUpdateResult> UpdateSelectedAsync(TenantId tenant, IReadOnlyCollection<long> accountIds, TwoFactorSetting setting, bool dryRun, AuditContext audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        if (accountIds.Count == 0)
        {
            throw new ArgumentException("Name at least one account id.", nameof(accountIds));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var ids = accountIds.ToArray();
        var code = SettingCode.From(setting);
        var batch = _dataSource.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            // A dry run only reads (after folding in what is due): no tenant lock of its own.
            if (dryRun)
            {
                AddApplyDue(batch, tenant);
            }
            else
            {
                AddLockTenant(batch, tenant);
            }

            var update = Add(batch, dryRun ? _sql.UpdateSelectedDryRun : _sql.UpdateSelected, tenant);
            update.Parameters.Add(new NpgsqlParameter<long[]>("ids", ids));
            update.Parameters.Add(new NpgsqlParameter<int>("setting", code));
            if (!dryRun)
            {
                AddAudit(update.Parameters, audit);
                Add(batch, _sql.DropPlaceholder, tenant);
            }

            var reader = dryRun
                ? await ExecuteAfterAsync(batch, 1, cancellationToken).ConfigureAwait(false)
                : await ExecuteLockedAsync(batch, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                SettingsUpdateResult result;
                if (Rejections(reader) is { } errors)
                {
                    result = SettingsUpdateResult.Rejected(errors, dryRun);
                }
                else
                {
                    var changed = reader.GetInt64(2);
                    result = dryRun ? SettingsUpdateResult.WouldApply(changed) : SettingsUpdateResult.Applied(changed, reader.GetInt64(3));
                }

                await DrainAsync(reader, cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }

    public async ValueTask<SettingsUpdateResult> UpdateDefaultAsync(TenantId tenant, TwoFactorSetting setting, bool dryRun, AuditContext audit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (dryRun)
        {
            return SettingsUpdateResult.WouldApply(0);
        }

        var batch = _dataSource.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            AddLockTenant(batch, tenant);
            var update = Add(batch, _sql.UpdateDefault, tenant);
            update.Parameters.Add(new NpgsqlParameter<int>("setting", SettingCode.From(setting)));
            AddAudit(update.Parameters, audit);
            var reader = await ExecuteLockedAsync(batch, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var version = reader.GetInt64(0);
                await DrainAsync(reader, cancellationToken).ConfigureAwait(false);
                return SettingsUpdateResult.Applied(0, version);
            }
        }
    }

    /// <summary>
    /// Starts the batch with creating (when missing) and locking the tenant row, then folding in the scheduled changes due by
    /// now (S11): the writers' common first step.
    /// </summary>
    private void AddLockTenant(NpgsqlBatch batch, TenantId tenant)
    {
        Add(batch, _sql.EnsureTenant, tenant);
        Add(batch, _sql.LockTenant, tenant);
        AddApplyDue(batch, tenant);
    }

    /// <summary>Adds folding in the tenant's scheduled changes due by now (S11), which locks the tenant row when any is due.</summary>
    private void AddApplyDue(NpgsqlBatch batch, TenantId tenant) =>
        Add(batch, _sql.ApplyDue, tenant).Parameters.Add(new NpgsqlParameter<long>("now", time.GetUtcNow().UtcTicks));

    /// <summary>Executes a batch that starts with <see cref="AddLockTenant"/> and moves past the lock's and the fold's results.</summary>
    private static Task<NpgsqlDataReader> ExecuteLockedAsync(NpgsqlBatch batch, CancellationToken cancellationToken) =>
        ExecuteAfterAsync(batch, 2, cancellationToken);

    /// <summary>Executes a batch and moves past the result sets of its first <paramref name="skip"/> statements that answer one.</summary>
    private static async Task<NpgsqlDataReader> ExecuteAfterAsync(NpgsqlBatch batch, int skip, CancellationToken cancellationToken)
    {
        var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var i = 0; i < skip; i++)
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            }

            return reader;
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static NpgsqlBatchCommand Add(NpgsqlBatch batch, string sql, TenantId tenant)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<long>("tenant", tenant.Value));
        batch.BatchCommands.Add(command);
        return command;
    }

    /// <summary>Reads the batch to its end, so that an error of a later statement surfaces here rather than being lost.</summary>
    private static async Task DrainAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
        {
        }
    }
}
