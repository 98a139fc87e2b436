using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.AuditTrail;
using Navixy.TwoFactor.Stores.Devices;
using Navixy.TwoFactor.Stores.Purge;
using Navixy.TwoFactor.Tests.Challenges;

namespace Navixy.TwoFactor.Tests.Stores;

/// <summary>Issue 14 item 4: the opt-in background purge, on a fake clock.</summary>
public class BackgroundPurgeTests
{
    private static readonly TenantId Tenant = new(77);

    [Test]
    [Description("issue 14 item 4: every interval the purge deletes ended challenges in bounded batches, a backlog over several runs")]
    public async Task Purge_OnFakeClock_DeletesEndedChallengesInBoundedBatches()
    {
        var time = new FakeTimeProvider(ChallengeTestHost.Epoch);
        await using var provider = Provider(time, o =>
        {
            o.Interval = TimeSpan.FromMinutes(1);
            o.BatchSize = 10;
            o.MaxBatchesPerRun = 3;
        });
        var store = provider.GetRequiredService<IChallengeStore>();
        var limits = ChallengeLimits.From(provider.GetRequiredService<IOptions<TwoFactorOptions>>().Value.Challenges);
        for (var principal = 1; principal <= 45; principal++)
        {
            var created = await store.CreateAsync(NewChallenge(principal, time.GetUtcNow()), limits, CancellationToken.None);
            Assert.That(created.Outcome, Is.EqualTo(ChallengeStoreOutcome.Created));
        }

        var purge = provider.GetServices<IHostedService>().OfType<TwoFactorPurgeService>().Single();
        await purge.StartAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.That(() => purge.Runs, Is.EqualTo(1).After(10_000, 10));
        Assert.That(purge.TotalPurged, Is.Zero, "nothing has ended yet");
        Assert.That(purge.Runs, Is.EqualTo(1), "one tick per interval");

        time.Advance(TimeSpan.FromMinutes(1)); // every challenge's 90-second lifetime is over
        Assert.That(() => purge.Runs, Is.EqualTo(2).After(10_000, 10));
        Assert.That(purge.TotalPurged, Is.EqualTo(30), "three batches of ten, the run's limit");

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.That(() => purge.Runs, Is.EqualTo(3).After(10_000, 10));
        Assert.That(purge.TotalPurged, Is.EqualTo(45), "the rest on the next run");

        await purge.StopAsync(CancellationToken.None);
        Assert.That(await store.PurgeExpiredAsync(time.GetUtcNow(), 100, CancellationToken.None), Is.Zero);
    }

    [Test]
    [Description("A3 / issue 14 item 4: a purge run also deletes audit-trail entries past the retention, and keeps the rest")]
    public async Task A3_PurgeRun_DeletesTrailEntriesPastRetention_AndKeepsTheRest()
    {
        var time = new FakeTimeProvider(ChallengeTestHost.Epoch);
        await using var provider = Provider(time, o => o.Interval = TimeSpan.FromMinutes(1));
        var trail = provider.GetRequiredService<Navixy.TwoFactor.Stores.AuditTrail.IAuditTrailStore>();
        var retention = provider.GetRequiredService<IOptions<TwoFactorOptions>>().Value.AuditTrail.Retention;
        foreach (var age in new[] { retention + TimeSpan.FromDays(30), retention + TimeSpan.FromSeconds(1), retention - TimeSpan.FromDays(1), TimeSpan.Zero })
        {
            await trail.AppendAsync(
                new Navixy.TwoFactor.Stores.AuditTrail.AuditEntry
                {
                    Tenant = Tenant,
                    Moment = time.GetUtcNow() - age,
                    Operation = Navixy.TwoFactor.Stores.AuditTrail.AuditOperation.UpdateDefault,
                    SettingAfter = TwoFactorSetting.Disallowed,
                },
                CancellationToken.None);
        }

        var purge = provider.GetServices<IHostedService>().OfType<TwoFactorPurgeService>().Single();
        var deleted = await purge.PurgeOnceAsync(CancellationToken.None);

        var left = await trail.ReadAsync(new Navixy.TwoFactor.Stores.AuditTrail.AuditTrailRead(Tenant, 10, null, DateTimeOffset.MinValue, null, null), CancellationToken.None);
        Assert.That(deleted, Is.EqualTo(new PurgeRun(0, 0, 2)));
        Assert.That(purge.PurgedAuditEntries, Is.EqualTo(2));
        Assert.That(left.Select(e => time.GetUtcNow() - e.Moment), Is.EquivalentTo(new[] { retention - TimeSpan.FromDays(1), TimeSpan.Zero }));
    }

    [Test]
    public async Task Purge_StoreFails_RunIsLoggedAndTheNextOneRuns()
    {
        var time = new FakeTimeProvider(ChallengeTestHost.Epoch);
        await using var provider = Provider(time, o => o.Interval = TimeSpan.FromSeconds(30), services => services.AddSingleton<IChallengeStore, Diagnostics.TwoFactorAuditTests.BrokenStore>());
        var purge = provider.GetServices<IHostedService>().OfType<TwoFactorPurgeService>().Single();
        await purge.StartAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.That(() => purge.Runs, Is.EqualTo(1).After(10_000, 10));
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.That(() => purge.Runs, Is.EqualTo(2).After(10_000, 10));

        await purge.StopAsync(CancellationToken.None);
        Assert.That(purge.TotalPurged, Is.Zero);
        Assert.That(purge.Failures, Is.EqualTo(2), "the challenge target failed on each run; the others ran");
    }

    [Test]
    [Description("D2 / issue 14 item 4: every interval the purge deletes remembered devices expired by their tenant's period as it is now, in bounded batches; a tenant whose period is off, or never set, loses all")]
    public async Task D2_PurgeRun_OnFakeClock_DeletesExpiredRememberedDevicesInBoundedBatches()
    {
        var time = new FakeTimeProvider(ChallengeTestHost.Epoch);
        await using var provider = Provider(time, o =>
        {
            o.Interval = TimeSpan.FromHours(1);
            o.BatchSize = 2;
            o.MaxBatchesPerRun = 2;
        });
        var store = provider.GetRequiredService<IRememberedDeviceStore>();
        var audit = new AuditContext(new TwoFactorActor("admin:1"), time.GetUtcNow());
        TenantId weekly = new(701), switchedOff = new(702), neverSet = new(703);
        await store.SetRememberPeriodAsync(weekly, TimeSpan.FromDays(7), audit, CancellationToken.None);
        await store.SetRememberPeriodAsync(switchedOff, TimeSpan.FromDays(30), audit, CancellationToken.None);
        var weeklyAges = new[] { 8d, 7.05, 6.98, 6, 1, 0 }; // days before the epoch; the first run is an hour after it, when 6.98 days are past 7
        var devices = weeklyAges.Select(days => (weekly, TimeSpan.FromDays(days)))
            .Concat(new[] { 1d, 2, 3 }.Select(days => (switchedOff, TimeSpan.FromDays(days))))
            .Concat(new[] { 0d, 0 }.Select(days => (neverSet, TimeSpan.FromDays(days))));
        var principal = 0;
        foreach (var (tenant, age) in devices)
        {
            await store.AddAsync(Device(tenant, ++principal, time.GetUtcNow() - age), 10, CancellationToken.None);
        }

        var purge = provider.GetServices<IHostedService>().OfType<TwoFactorPurgeService>().Single();
        await purge.StartAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromHours(1));
        Assert.That(() => purge.Runs, Is.EqualTo(1).After(10_000, 10));
        Assert.That(purge.PurgedDevices, Is.EqualTo(4), "two batches of two, the run's limit, of the five expired");

        time.Advance(TimeSpan.FromHours(1));
        Assert.That(() => purge.Runs, Is.EqualTo(2).After(10_000, 10));
        Assert.That(purge.PurgedDevices, Is.EqualTo(5), "the rest on the next run");

        await store.SetRememberPeriodAsync(switchedOff, TimeSpan.Zero, audit, CancellationToken.None);
        time.Advance(TimeSpan.FromHours(1));
        Assert.That(() => purge.Runs, Is.EqualTo(3).After(10_000, 10));
        await purge.StopAsync(CancellationToken.None);

        Assert.That(purge.PurgedDevices, Is.EqualTo(5), "switching a period off forgot every device of its tenant at once: none left to purge");
        Assert.That(purge.PurgedChallenges + purge.PurgedAuditEntries, Is.Zero);
        var left = new List<RememberedDeviceRecord>();
        for (var id = 1; id <= principal; id++)
        {
            foreach (var tenant in new[] { weekly, switchedOff, neverSet })
            {
                left.AddRange(await store.ListAsync(tenant, id, CancellationToken.None));
            }
        }

        Assert.That(left.Select(d => (d.Tenant, ChallengeTestHost.Epoch - d.IssuedAt)), Is.EquivalentTo(new[] { 6d, 1, 0 }.Select(days => (weekly, TimeSpan.FromDays(days)))));
    }

    [TestCase(0, 1_000, 100, "Interval")]
    [TestCase(60, 0, 100, "BatchSize")]
    [TestCase(60, 10_001, 100, "BatchSize")]
    [TestCase(60, 1_000, 0, "MaxBatchesPerRun")]
    [TestCase(86_401, 1_000, 100, "Interval")]
    public async Task Options_OutOfRange_FailAtStart(int intervalSeconds, int batchSize, int maxBatches, string named)
    {
        await using var provider = Provider(new FakeTimeProvider(ChallengeTestHost.Epoch), o =>
        {
            o.Interval = TimeSpan.FromSeconds(intervalSeconds);
            o.BatchSize = batchSize;
            o.MaxBatchesPerRun = maxBatches;
        });

        Assert.That(() => provider.GetRequiredService<IStartupValidator>().Validate(), Throws.InstanceOf<OptionsValidationException>().With.Message.Contains(named));
    }

    [Test]
    public async Task AddBackgroundPurge_Twice_OneHostedService()
    {
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor().UseInMemoryStores().AddBackgroundPurge().AddBackgroundPurge();
        await using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetServices<IHostedService>().Count(), Is.EqualTo(1));
    }

    private static ServiceProvider Provider(FakeTimeProvider time, Action<TwoFactorPurgeOptions> purge, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddNavixyTwoFactor(o => o.KeyMaterial = ChallengeTestHost.KeyMaterial).UseInMemoryStores().AddBackgroundPurge(purge);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    private static RememberedDeviceRecord Device(TenantId tenant, long principalId, DateTimeOffset issuedAt) =>
        new(tenant, principalId, RandomNumberGenerator.GetBytes(32), DeviceTokenHasher.CreateDeviceId(), null, issuedAt, null, 1);

    private static NewChallenge NewChallenge(long principal, DateTimeOffset now) =>
        new(Tenant, principal, FactorTypes.Email, RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32),
            now, now + TimeSpan.FromMinutes(1), now + TimeSpan.FromSeconds(90), now + TimeSpan.FromMinutes(1));
}
