using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.PostgreSql.Schema;
using Navixy.TwoFactor.PostgreSql.Stores;
using Navixy.TwoFactor.Stores;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// The PostgreSQL challenge store through <see cref="IChallengeStore"/> itself, in a schema of its own (so that the
/// cleanup counts rows no other test made): cleanup in bounded batches, the lockout formula in SQL against
/// <see cref="ChallengeLimits.LockUntil"/>, what is at rest, and misuse.
/// </summary>
public sealed class PostgreSqlChallengeStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ChallengeLimits Limits = ChallengeLimits.From(new ChallengeOptions());

    private string _schema = string.Empty;
    private NpgsqlDataSource? _dataSource;
    private ServiceProvider? _provider;

    private NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("The test database is not ready.");

    private IChallengeStore Store => (_provider ?? throw new InvalidOperationException("The test database is not ready.")).GetRequiredService<IChallengeStore>();

    [OneTimeSetUp]
    public async Task StartDatabase()
    {
        await PostgreSqlTestDatabase.RequireAsync();
        _schema = PostgreSqlTestDatabase.NewSchemaName("challenges");
        _dataSource = PostgreSqlTestDatabase.CreateDataSource("challenge-store");
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor(o => o.KeyMaterial = Convert.ToBase64String(new byte[32])).UsePostgreSql(_dataSource, o => o.Schema = _schema);
        _provider = services.BuildServiceProvider();
        await _provider.GetRequiredService<IPostgreSqlMigrator>().MigrateAsync();
    }

    [OneTimeTearDown]
    public async Task StopDatabase()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
            await PostgreSqlTestDatabase.DropSchemaAsync(_schema);
        }
    }

    [SetUp]
    public async Task EmptyTables()
    {
        await ExecuteAsync($"TRUNCATE \"{_schema}\".challenges, \"{_schema}\".principal_lockouts");
    }

    // ---- cleanup --------------------------------------------------------------------------------------------

    [Test]
    public async Task PurgeExpired_RemovesOnlyEndedChallengesOldestFirstInBatches()
    {
        var tenants = new[] { new TenantId(1), new TenantId(2) };
        for (var i = 1; i <= 23; i++)
        {
            await CreateAsync(tenants[i % 2], i, endsAt: Now - TimeSpan.FromMinutes(i));
        }

        await CreateAsync(tenants[0], 100, endsAt: Now);
        await CreateAsync(tenants[1], 101, endsAt: Now + TimeSpan.FromTicks(1));
        for (var i = 0; i < 4; i++)
        {
            await CreateAsync(tenants[i % 2], 200 + i, endsAt: Now + TimeSpan.FromMinutes(10));
        }

        var first = await Store.PurgeExpiredAsync(Now, 10, CancellationToken.None);
        var left = await EndTimesAsync();
        var rest = new[] { await Store.PurgeExpiredAsync(Now, 10, CancellationToken.None), await Store.PurgeExpiredAsync(Now, 10, CancellationToken.None), await Store.PurgeExpiredAsync(Now, 10, CancellationToken.None) };

        Assert.That(first, Is.EqualTo(10));
        Assert.That(left.Count(t => t <= Now), Is.EqualTo(14));
        Assert.That(left.Where(t => t <= Now).Min(), Is.EqualTo(Now - TimeSpan.FromMinutes(13)), "the ten oldest went first");
        Assert.That(rest, Is.EqualTo(new[] { 10, 4, 0 }), "a batch short of the size means none is left");
        Assert.That(await EndTimesAsync(), Is.EquivalentTo(Enumerable.Repeat(Now + TimeSpan.FromMinutes(10), 4).Append(Now + TimeSpan.FromTicks(1))), "every live challenge is kept");
    }

    [Test]
    public async Task PurgeExpired_KeepsThePrincipalsFailureCount()
    {
        var tenant = new TenantId(1);
        var token = await CreateAsync(tenant, 7, endsAt: Now + TimeSpan.FromMinutes(15));
        for (var i = 0; i < 3; i++)
        {
            Assert.That((await Store.VerifyAsync(tenant, token, RandomNumberGenerator.GetBytes(32), Now, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.WrongCode));
        }

        Assert.That(await Store.PurgeExpiredAsync(Now + TimeSpan.FromMinutes(15), 10, CancellationToken.None), Is.EqualTo(1));

        Assert.That(await ScalarAsync<int>($"SELECT failures FROM \"{_schema}\".principal_lockouts WHERE tenant_id = 1 AND principal_id = 7"), Is.EqualTo(3));
    }

    [Test]
    public async Task PurgeExpired_RowHeldByAnotherSession_IsSkippedNotWaitedFor()
    {
        var tenant = new TenantId(1);
        var held = await CreateAsync(tenant, 1, endsAt: Now - TimeSpan.FromMinutes(2));
        await CreateAsync(tenant, 2, endsAt: Now - TimeSpan.FromMinutes(1));

        await using (var connection = await DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using (var hold = new NpgsqlCommand($"SELECT 1 FROM \"{_schema}\".challenges WHERE token_hash = $1 FOR UPDATE", connection, transaction))
            {
                hold.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = held });
                await hold.ExecuteNonQueryAsync();
            }

            Assert.That(await Store.PurgeExpiredAsync(Now, 10, CancellationToken.None), Is.EqualTo(1), "the free row goes; the held one is left");
        }

        Assert.That(await Store.PurgeExpiredAsync(Now, 10, CancellationToken.None), Is.EqualTo(1), "the next run takes it");
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void PurgeExpired_BatchSizeNotPositive_Throws(int batchSize) =>
        Assert.That(async () => await Store.PurgeExpiredAsync(Now, batchSize, CancellationToken.None), Throws.InstanceOf<ArgumentOutOfRangeException>());

    // ---- the lockout formula in SQL -------------------------------------------------------------------------

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property LockUntilInSql_AnyLimitsFailuresAndTime_AnswersAsChallengeLimits() =>
        Prop.ForAll(
            Gen.Choose(1, 50).SelectMany(threshold => Gen.Choose(threshold, 99).Select(max => (threshold, max))).ToArbitrary(),
            Gen.Choose(0, 400 * 24 * 60).SelectMany(minutes => Gen.Choose(0, 599_999_999).Select(ticks => TimeSpan.FromTicks((minutes * TimeSpan.TicksPerMinute) + ticks))).ToArbitrary(),
            Gen.Choose(0, 200).SelectMany(failures => Gen.OneOf(
                    Gen.Choose(0, int.MaxValue).Select(seconds => Now + TimeSpan.FromSeconds(seconds) + TimeSpan.FromTicks(seconds % 9_999_999)),
                    Gen.Choose(0, 800 * 24 * 60).Select(minutes => DateTimeOffset.MaxValue - TimeSpan.FromMinutes(minutes)))
                .Select(now => (failures, now))).ToArbitrary(),
            (bounds, duration, at) =>
            {
                var limits = new ChallengeLimits(5, 5, bounds.threshold, duration, bounds.max);
                var expected = limits.LockUntil(at.failures, at.now);
                var actual = LockUntilInSqlAsync(limits, at.failures, at.now).GetAwaiter().GetResult();
                return (actual == expected).Label($"SQL {actual?.UtcTicks}, C# {expected?.UtcTicks}");
            });

    [TestCase(10, 15)]
    [TestCase(20, 30)]
    [TestCase(40, 120)]
    public async Task LockUntilInSql_Defaults_DoubleFromFifteenMinutes(int failures, int minutes) =>
        Assert.That(await LockUntilInSqlAsync(Limits, failures, Now), Is.EqualTo(Now + TimeSpan.FromMinutes(minutes)));

    [Test]
    public async Task LockUntilInSql_AtTheLimitAndNearTheEndOfTime_LocksUntilReset()
    {
        Assert.That(await LockUntilInSqlAsync(Limits, 50, Now), Is.EqualTo(DateTimeOffset.MaxValue));
        Assert.That(await LockUntilInSqlAsync(Limits, 40, DateTimeOffset.MaxValue - TimeSpan.FromMinutes(1)), Is.EqualTo(DateTimeOffset.MaxValue));
        Assert.That(await LockUntilInSqlAsync(Limits, 9, Now), Is.Null);
    }

    [Test]
    public async Task WrongCodeAtTheLimit_StoresAndAnswersLockedUntilReset()
    {
        var tenant = new TenantId(1);
        await ExecuteAsync($"INSERT INTO \"{_schema}\".principal_lockouts (tenant_id, principal_id, failures) VALUES (1, 7, 49)");
        var token = await CreateAsync(tenant, 7, endsAt: Now + TimeSpan.FromMinutes(15));

        var fiftieth = await Store.VerifyAsync(tenant, token, RandomNumberGenerator.GetBytes(32), Now, Limits, CancellationToken.None);

        Assert.That(fiftieth, Is.EqualTo(ChallengeStoreResult.WrongCode(7, 1, DateTimeOffset.MaxValue)));
        Assert.That(await ScalarAsync<long>($"SELECT locked_until FROM \"{_schema}\".principal_lockouts WHERE tenant_id = 1 AND principal_id = 7"), Is.EqualTo(DateTimeOffset.MaxValue.UtcTicks));
        var again = await Store.CreateAsync(NewChallenge(tenant, 7, DateTimeOffset.MaxValue - TimeSpan.FromDays(1)), Limits, CancellationToken.None);
        Assert.That(again, Is.EqualTo(ChallengeStoreResult.PrincipalLocked(7, DateTimeOffset.MaxValue)), "still locked at the end of time");
    }

    // ---- at rest and misuse ---------------------------------------------------------------------------------

    [Test]
    public async Task AtRest_RowHoldsTheGivenHashesTenantAndTimesToTheTick()
    {
        var challenge = NewChallenge(new TenantId(3), 7, Now + TimeSpan.FromTicks(1234567));

        await Store.CreateAsync(challenge, Limits, CancellationToken.None);

        await using var command = DataSource.CreateCommand($"SELECT tenant_id, token_hash, principal_id, factor, code_digest, created_at, code_expires_at, expires_at, resend_available_at, attempts, sends, consumed_at FROM \"{_schema}\".challenges");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.That(await reader.ReadAsync(), Is.True);
        Assert.That(reader.GetInt64(0), Is.EqualTo(3));
        Assert.That(reader.GetFieldValue<byte[]>(1), Is.EqualTo(challenge.TokenHash.ToArray()));
        Assert.That((reader.GetInt64(2), reader.GetInt32(3)), Is.EqualTo((7L, (int)FactorTypes.Email)));
        Assert.That(reader.GetFieldValue<byte[]>(4), Is.EqualTo(challenge.CodeDigest.ToArray()));
        Assert.That(
            new[] { reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8) },
            Is.EqualTo(new[] { challenge.CreatedAt.UtcTicks, challenge.CodeExpiresAt.UtcTicks, challenge.ExpiresAt.UtcTicks, challenge.ResendAvailableAt.UtcTicks }));
        Assert.That((reader.GetInt32(9), reader.GetInt32(10), reader.IsDBNull(11)), Is.EqualTo((0, 1, true)));
        Assert.That(await reader.ReadAsync(), Is.False);
    }

    [Test]
    public async Task Verify_OneTickBeforeAndAtTheCodeExpiry_IsEvaluatedThenExpired()
    {
        var tenant = new TenantId(1);
        var challenge = NewChallenge(tenant, 7, Now + TimeSpan.FromTicks(3));
        await Store.CreateAsync(challenge, Limits, CancellationToken.None);

        var before = await Store.VerifyAsync(tenant, challenge.TokenHash, RandomNumberGenerator.GetBytes(32), challenge.CodeExpiresAt - TimeSpan.FromTicks(1), Limits, CancellationToken.None);
        var at = await Store.VerifyAsync(tenant, challenge.TokenHash, challenge.CodeDigest, challenge.CodeExpiresAt, Limits, CancellationToken.None);

        Assert.That(before.Outcome, Is.EqualTo(ChallengeStoreOutcome.WrongCode));
        Assert.That(at, Is.EqualTo(ChallengeStoreResult.Refused(ChallengeStoreOutcome.Expired, 7)));
    }

    [Test]
    public async Task Create_SameTokenHashTwice_ThrowsAndKeepsTheFirst()
    {
        var challenge = NewChallenge(new TenantId(1), 7, Now + TimeSpan.FromMinutes(15));
        await Store.CreateAsync(challenge, Limits, CancellationToken.None);

        // Without a cooldown and with a cap of one, the second start would record a send and revoke the first: the
        // duplicate undoes both.
        var reused = challenge with { CodeDigest = RandomNumberGenerator.GetBytes(32), CreatedAt = Now + TimeSpan.FromSeconds(1) };
        Assert.That(async () => await Store.CreateAsync(reused, Limits with { SendCooldown = TimeSpan.Zero, MaxOpenChallenges = 1 }, CancellationToken.None), Throws.InvalidOperationException);
        Assert.That(await ScalarAsync<long>($"SELECT last_sent_at FROM \"{_schema}\".principal_lockouts WHERE tenant_id = 1 AND principal_id = 7"), Is.EqualTo(challenge.CreatedAt.UtcTicks));
        Assert.That((await Store.VerifyAsync(challenge.Tenant, challenge.TokenHash, challenge.CodeDigest, Now, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.Passed));
    }

    [Test]
    public async Task Create_SameTokenHashInAnotherTenant_IsAnotherChallenge()
    {
        var challenge = NewChallenge(new TenantId(1), 7, Now + TimeSpan.FromMinutes(15));
        await Store.CreateAsync(challenge, Limits, CancellationToken.None);
        var other = challenge with { Tenant = new TenantId(2), CodeDigest = RandomNumberGenerator.GetBytes(32) };

        Assert.That(await Store.CreateAsync(other, Limits, CancellationToken.None), Is.EqualTo(ChallengeStoreResult.Created));
        Assert.That((await Store.VerifyAsync(other.Tenant, other.TokenHash, challenge.CodeDigest, Now, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.WrongCode));
        Assert.That((await Store.VerifyAsync(challenge.Tenant, challenge.TokenHash, challenge.CodeDigest, Now, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.Passed));
    }

    [Test]
    public void Operations_HashesOfTheWrongLengthOrAnInvalidTenant_ThrowArgumentException()
    {
        var good = RandomNumberGenerator.GetBytes(32);
        var shorter = RandomNumberGenerator.GetBytes(31);
        var tenant = new TenantId(1);

        Assert.That(async () => await Store.CreateAsync(NewChallenge(tenant, 7, Now) with { TokenHash = shorter }, Limits, CancellationToken.None), Throws.ArgumentException);
        Assert.That(async () => await Store.CreateAsync(NewChallenge(tenant, 7, Now) with { CodeDigest = shorter }, Limits, CancellationToken.None), Throws.ArgumentException);
        Assert.That(async () => await Store.CreateAsync(NewChallenge(default, 7, Now), Limits, CancellationToken.None), Throws.ArgumentException);
        Assert.That(async () => await Store.VerifyAsync(tenant, shorter, good, Now, Limits, CancellationToken.None), Throws.ArgumentException);
        Assert.That(async () => await Store.VerifyAsync(tenant, good, ReadOnlyMemory<byte>.Empty, Now, Limits, CancellationToken.None), Throws.ArgumentException);
        Assert.That(async () => await Store.VerifyAsync(default, good, good, Now, Limits, CancellationToken.None), Throws.ArgumentException);
        Assert.That(async () => await Store.ReplaceCodeAsync(tenant, good, shorter, Now, Now, Now, Limits, CancellationToken.None), Throws.ArgumentException);
        Assert.That(async () => await Store.RevokeAsync(tenant, shorter, CancellationToken.None), Throws.ArgumentException);
        Assert.That(async () => await Store.ResetPrincipalAsync(default, 7, CancellationToken.None), Throws.ArgumentException);
    }

    [Test]
    public void Operations_CancelledToken_ThrowBeforeTouchingTheDatabase()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var hash = RandomNumberGenerator.GetBytes(32);

        Assert.That(async () => await Store.VerifyAsync(new TenantId(1), hash, hash, Now, Limits, cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(async () => await Store.PurgeExpiredAsync(Now, 1, cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    // ---- the principal's failure row --------------------------------------------------------------------------

    [Test]
    [Description("C4, item 19: a success resets the count; a pass on a principal with nothing to reset writes no row version.")]
    public async Task Verify_PassOnAPrincipalWithNoFailures_LeavesItsRowAsItWas()
    {
        var tenant = new TenantId(1);
        var challenge = NewChallenge(tenant, 7, Now + TimeSpan.FromMinutes(15));
        Assert.That(await Store.CreateAsync(challenge, Limits, CancellationToken.None), Is.EqualTo(ChallengeStoreResult.Created));
        var before = await ScalarAsync<string>($"SELECT xmin::text FROM \"{_schema}\".principal_lockouts WHERE tenant_id = 1 AND principal_id = 7");

        var verified = await Store.VerifyAsync(tenant, challenge.TokenHash, challenge.CodeDigest, Now, Limits, CancellationToken.None);

        Assert.That(verified.Outcome, Is.EqualTo(ChallengeStoreOutcome.Passed));
        Assert.That(await ScalarAsync<string>($"SELECT xmin::text FROM \"{_schema}\".principal_lockouts WHERE tenant_id = 1 AND principal_id = 7"), Is.EqualTo(before));
    }

    [Test]
    [Description("C4, item 19: wrong codes count and a pass resets, also when the principal's row was deleted by hand meanwhile.")]
    public async Task Verify_PrincipalRowDeletedByHand_WrongCodeRemakesItCountingOne_PassResetsACount()
    {
        var tenant = new TenantId(1);
        var first = await CreateAsync(tenant, 7, endsAt: Now + TimeSpan.FromMinutes(15));
        await ExecuteAsync($"DELETE FROM \"{_schema}\".principal_lockouts");

        Assert.That((await Store.VerifyAsync(tenant, first, RandomNumberGenerator.GetBytes(32), Now, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.WrongCode));
        Assert.That(await ScalarAsync<int>($"SELECT failures FROM \"{_schema}\".principal_lockouts WHERE tenant_id = 1 AND principal_id = 7"), Is.EqualTo(1), "remade, counting this one");
        Assert.That((await Store.VerifyAsync(tenant, first, RandomNumberGenerator.GetBytes(32), Now, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.WrongCode));
        Assert.That(await ScalarAsync<int>($"SELECT failures FROM \"{_schema}\".principal_lockouts WHERE tenant_id = 1 AND principal_id = 7"), Is.EqualTo(2));

        var second = NewChallenge(tenant, 7, Now + TimeSpan.FromMinutes(15));
        Assert.That(await Store.CreateAsync(second, Limits, CancellationToken.None), Is.EqualTo(ChallengeStoreResult.Created));
        await ExecuteAsync($"DELETE FROM \"{_schema}\".principal_lockouts");
        Assert.That((await Store.VerifyAsync(tenant, second.TokenHash, second.CodeDigest, Now, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.Passed));
        Assert.That(await ScalarAsync<int>($"SELECT failures FROM \"{_schema}\".principal_lockouts WHERE tenant_id = 1 AND principal_id = 7"), Is.EqualTo(0), "remade, reset");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static NewChallenge NewChallenge(TenantId tenant, long principalId, DateTimeOffset endsAt) => new(
        tenant,
        principalId,
        FactorTypes.Email,
        RandomNumberGenerator.GetBytes(32),
        RandomNumberGenerator.GetBytes(32),
        endsAt - TimeSpan.FromMinutes(15),
        endsAt - TimeSpan.FromMinutes(10),
        endsAt,
        endsAt - TimeSpan.FromMinutes(14));

    /// <summary>Creates a challenge ending at <paramref name="endsAt"/>; answers its token hash.</summary>
    private async Task<byte[]> CreateAsync(TenantId tenant, long principalId, DateTimeOffset endsAt)
    {
        var challenge = NewChallenge(tenant, principalId, endsAt);
        Assert.That(await Store.CreateAsync(challenge, Limits, CancellationToken.None), Is.EqualTo(ChallengeStoreResult.Created));
        return challenge.TokenHash.ToArray();
    }

    private async Task<List<DateTimeOffset>> EndTimesAsync()
    {
        await using var command = DataSource.CreateCommand($"SELECT expires_at FROM \"{_schema}\".challenges");
        await using var reader = await command.ExecuteReaderAsync();
        var ends = new List<DateTimeOffset>();
        while (await reader.ReadAsync())
        {
            ends.Add(new DateTimeOffset(reader.GetInt64(0), TimeSpan.Zero));
        }

        return ends;
    }

    /// <summary>Evaluates the store's lockout expression alone, with the parameters the verify statement binds.</summary>
    private async Task<DateTimeOffset?> LockUntilInSqlAsync(ChallengeLimits limits, int failures, DateTimeOffset now)
    {
        await using var command = DataSource.CreateCommand("SELECT " + ChallengeStatements.LockUntil("@failures"));
        command.Parameters.Add(new NpgsqlParameter<int>("failures", failures));
        command.Parameters.Add(new NpgsqlParameter<long>("now", now.UtcTicks));
        command.Parameters.Add(new NpgsqlParameter<int>("threshold", limits.LockoutThreshold));
        command.Parameters.Add(new NpgsqlParameter<long>("duration", limits.LockoutDuration.Ticks));
        command.Parameters.Add(new NpgsqlParameter<int>("max_failures", limits.MaxConsecutiveFailures));
        return await command.ExecuteScalarAsync() is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
