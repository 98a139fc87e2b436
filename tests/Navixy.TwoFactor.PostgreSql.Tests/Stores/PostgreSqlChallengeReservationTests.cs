using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.PostgreSql.Schema;
using Navixy.TwoFactor.Stores;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// What the version 4 statements leave at rest, in a schema of its own: reservations and their lease to the tick, the
/// principal's last send, the revocation order at one instant, the retirement of a principal's row with nothing left to
/// remember, a removal, and a settlement that must spend nothing.
/// </summary>
public sealed class PostgreSqlChallengeReservationTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TenantId Tenant = new(1);

    private static readonly ChallengeLimits Limits = new(MaxAttempts: 2, MaxSends: 5, LockoutThreshold: 10, LockoutDuration: TimeSpan.FromMinutes(15), MaxConsecutiveFailures: 50)
    {
        SendCooldown = TimeSpan.FromMinutes(1),
        MaxOpenChallenges = 2,
    };

    private string _schema = string.Empty;
    private NpgsqlDataSource? _dataSource;
    private ServiceProvider? _provider;

    private IServiceProvider Provider => _provider ?? throw new InvalidOperationException("The test database is not ready.");

    private IChallengeStore Store => Provider.GetRequiredService<IChallengeStore>();

    [OneTimeSetUp]
    public async Task StartDatabase()
    {
        await PostgreSqlTestDatabase.RequireAsync();
        _schema = PostgreSqlTestDatabase.NewSchemaName("reservations");
        _dataSource = PostgreSqlTestDatabase.CreateDataSource("challenge-reservations");
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
    public Task EmptyTables() => ExecuteAsync($"TRUNCATE \"{_schema}\".challenges, \"{_schema}\".principal_lockouts, \"{_schema}\".totp_enrollments, \"{_schema}\".recovery_codes");

    [Test]
    public async Task Reserve_CountsLivePendingOnlyAndHoldsEachForTheLeaseToTheTick()
    {
        var token = await CreateAsync(7, FactorTypes.Totp, Now);
        var lease = SecondStepRules.PendingLease;

        Assert.That((await Store.ReserveAsync(Tenant, token, Now, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.Reserved));
        Assert.That(await RowAsync(token), Is.EqualTo("1|1|" + (Now + lease).UtcTicks));

        // Its lease over, the first reservation no longer counts: the second is the only one pending.
        var later = Now + lease;
        Assert.That(await Store.ReserveAsync(Tenant, token, later, Limits, CancellationToken.None), Is.EqualTo(ChallengeStoreResult.Reserved(7, FactorTypes.Totp, 2)));
        Assert.That(await RowAsync(token), Is.EqualTo("2|1|" + (later + lease).UtcTicks));

        Assert.That(await Store.SettleAsync(Tenant, token, ChallengeSettlement.Release, later, Limits, CancellationToken.None), Is.EqualTo(ChallengeStoreResult.Released(7)));
        Assert.That(await RowAsync(token), Is.EqualTo("1|0|" + (later + lease).UtcTicks), "released: nothing was evaluated, so the attempt is given back");
    }

    [Test]
    public async Task AttemptsUsedUpByReservations_AreBusyUntilTheLeaseEndsThenLocked()
    {
        var token = await CreateAsync(7, FactorTypes.Totp, Now);
        for (var i = 0; i < Limits.MaxAttempts; i++)
        {
            Assert.That((await Store.ReserveAsync(Tenant, token, Now, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.Reserved));
        }

        var end = Now + SecondStepRules.PendingLease;
        Assert.That(await Store.ReserveAsync(Tenant, token, end - TimeSpan.FromTicks(1), Limits, CancellationToken.None), Is.EqualTo(ChallengeStoreResult.Busy(7) with { Factor = FactorTypes.Totp }));
        Assert.That(await Store.VerifyAsync(Tenant, token, new byte[32], end - TimeSpan.FromTicks(1), Limits, CancellationToken.None), Is.EqualTo(ChallengeStoreResult.Busy(7)));
        Assert.That(await Store.FindAsync(Tenant, token, end - TimeSpan.FromTicks(1), Limits, CancellationToken.None), Is.EqualTo(ChallengeStoreResult.Open(7, FactorTypes.Totp)), "busy counts as open");
        Assert.That((await Store.ReserveAsync(Tenant, token, end, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.Locked));
        Assert.That((await Store.FindAsync(Tenant, token, end, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.Locked));
    }

    [Test]
    public async Task Create_RecordsTheEmailSendAndRevokesTheOldestOpenInTheOrderOfCreation()
    {
        var first = await CreateAsync(7, FactorTypes.Totp, Now);
        var second = await CreateAsync(7, FactorTypes.Totp, Now);
        var third = await CreateAsync(7, FactorTypes.Email, Now);

        Assert.That((await Store.FindAsync(Tenant, first, Now, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.NotFound), "the oldest of three at one instant");
        Assert.That((await Store.FindAsync(Tenant, second, Now, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.Open));
        Assert.That((await Store.FindAsync(Tenant, third, Now, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.Open));
        Assert.That(await ScalarAsync($"SELECT last_sent_at FROM \"{_schema}\".principal_lockouts WHERE tenant_id = 1 AND principal_id = 7"), Is.EqualTo(Now.UtcTicks));

        var tooSoon = await Store.CreateAsync(NewChallenge(7, FactorTypes.Email, Now + TimeSpan.FromSeconds(59)), Limits, CancellationToken.None);
        Assert.That(tooSoon, Is.EqualTo(ChallengeStoreResult.TooSoon(7, Now + TimeSpan.FromMinutes(1))));
        Assert.That(await ScalarAsync($"SELECT count(*) FROM \"{_schema}\".challenges"), Is.EqualTo(2), "nothing stored, nothing revoked");
    }

    [Test]
    public async Task Revoke_TheLastChallengeOfAPrincipalWithNothingElseToRemember_RetiresItsRow()
    {
        var alone = await CreateAsync(7, FactorTypes.Email, Now);
        var failing = await CreateAsync(8, FactorTypes.Email, Now);
        Assert.That((await Store.VerifyAsync(Tenant, failing, new byte[32], Now, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.WrongCode));

        Assert.That(await Store.RevokeAsync(Tenant, alone, CancellationToken.None), Is.True);
        Assert.That(await Store.RevokeAsync(Tenant, failing, CancellationToken.None), Is.True);
        Assert.That(await Store.RevokeAsync(Tenant, failing, CancellationToken.None), Is.False);

        Assert.That(await ScalarAsync($"SELECT count(*) FROM \"{_schema}\".principal_lockouts WHERE principal_id = 7"), Is.Zero, "its send forgotten with it");
        Assert.That(await ScalarAsync($"SELECT last_sent_at FROM \"{_schema}\".principal_lockouts WHERE principal_id = 8"), Is.EqualTo(Now.UtcTicks), "a failure to remember keeps the row");
        Assert.That(await Store.CreateAsync(NewChallenge(7, FactorTypes.Email, Now), Limits, CancellationToken.None), Is.EqualTo(ChallengeStoreResult.Created));
        Assert.That((await Store.CreateAsync(NewChallenge(8, FactorTypes.Email, Now), Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.TooSoon));
    }

    [Test]
    public async Task RemovePrincipal_DeletesItsChallengesAndItsRowOnly()
    {
        var gone = await CreateAsync(7, FactorTypes.Email, Now);
        var kept = await CreateAsync(8, FactorTypes.Email, Now);
        await Store.RecordFailureAsync(Tenant, 7, Now, Limits, CancellationToken.None);

        Assert.That(await Store.RemovePrincipalAsync(Tenant, 7, CancellationToken.None), Is.True);
        Assert.That(await Store.RemovePrincipalAsync(Tenant, 7, CancellationToken.None), Is.False);
        Assert.That(await Store.RemovePrincipalAsync(Tenant, 9, CancellationToken.None), Is.False);

        Assert.That((await Store.FindAsync(Tenant, gone, Now, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.NotFound));
        Assert.That((await Store.FindAsync(Tenant, kept, Now, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.Open));
        Assert.That(await ScalarAsync($"SELECT count(*) FROM \"{_schema}\".principal_lockouts WHERE principal_id = 7"), Is.Zero);
        Assert.That(await Store.CreateAsync(NewChallenge(7, FactorTypes.Email, Now), Limits, CancellationToken.None), Is.EqualTo(ChallengeStoreResult.Created), "starts clean: no failures, no last send");
    }

    [Test]
    public async Task Settle_PassOnAConsumedChallenge_SpendsNeitherTheStepNorTheRecoveryCode()
    {
        var secret = RandomNumberGenerator.GetBytes(49);
        var enrollments = Provider.GetRequiredService<ITotpEnrollmentStore>();
        var recoveryCodes = Provider.GetRequiredService<IRecoveryCodeStore>();
        await enrollments.SavePendingAsync(Tenant, 7, secret, Now.AddMinutes(10), CancellationToken.None);
        await enrollments.ActivatePendingAsync(Tenant, 7, secret, 100, Now, CancellationToken.None);
        var code = new RecoveryCodeHash("7K3M", RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(32), 10_000);
        await recoveryCodes.ReplaceAsync(Tenant, 7, [code], CancellationToken.None);
        var token = await CreateAsync(7, FactorTypes.Totp, Now);
        Assert.That((await Store.SettleAsync(Tenant, token, ChallengeSettlement.PassWithTimeStep(secret, 101), Now, Limits, CancellationToken.None)).Outcome, Is.EqualTo(ChallengeStoreOutcome.Passed));

        var step = await Store.SettleAsync(Tenant, token, ChallengeSettlement.PassWithTimeStep(secret, 102), Now, Limits, CancellationToken.None);
        var recovery = await Store.SettleAsync(Tenant, token, ChallengeSettlement.PassWithRecoveryCode(code), Now, Limits, CancellationToken.None);

        Assert.That((step, recovery), Is.EqualTo((ChallengeStoreResult.Refused(ChallengeStoreOutcome.Consumed, 7), ChallengeStoreResult.Refused(ChallengeStoreOutcome.Consumed, 7))));
        Assert.That((await enrollments.GetAsync(Tenant, 7, CancellationToken.None))!.LastAcceptedStep, Is.EqualTo(101));
        Assert.That(await recoveryCodes.CountUnusedAsync(Tenant, 7, CancellationToken.None), Is.EqualTo(1));
    }

    private static NewChallenge NewChallenge(long principalId, FactorTypes factor, DateTimeOffset at) => new(
        Tenant, principalId, factor, RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32), at, at.AddMinutes(5), at.AddMinutes(15), at.AddMinutes(1));

    /// <summary>Creates a challenge that must be created; answers its token hash.</summary>
    private async Task<byte[]> CreateAsync(long principalId, FactorTypes factor, DateTimeOffset at)
    {
        var challenge = NewChallenge(principalId, factor, at);
        Assert.That(await Store.CreateAsync(challenge, Limits with { SendCooldown = TimeSpan.Zero }, CancellationToken.None), Is.EqualTo(ChallengeStoreResult.Created));
        return challenge.TokenHash.ToArray();
    }

    /// <summary>The challenge's attempts, pending reservations and lease end, as stored.</summary>
    private async Task<string> RowAsync(byte[] token)
    {
        await using var command = _dataSource!.CreateCommand($"SELECT attempts || '|' || pending || '|' || pending_until FROM \"{_schema}\".challenges WHERE token_hash = $1");
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = token });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = _dataSource!.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _dataSource!.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
