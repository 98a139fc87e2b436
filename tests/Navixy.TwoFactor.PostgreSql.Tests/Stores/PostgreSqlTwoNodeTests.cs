using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// Two engine instances (separate service providers and data sources) over one database, as two API nodes of a
/// backend. Concurrency tests race the nodes through a start gate and assert outcomes that hold for every
/// interleaving.
/// </summary>
public sealed class PostgreSqlTwoNodeTests : PostgreSqlFixture
{
    private const int Rounds = 100;
    private static readonly TwoFactorSetting Email = TwoFactorSetting.Allowed(FactorTypes.Email);
    private static readonly TwoFactorSetting Totp = TwoFactorSetting.Allowed(FactorTypes.Totp);

    [Test]
    public async Task UpdateAllOnA_IsSeenByBsNextResolve()
    {
        var (a, b) = (StartNode("a"), StartNode("b"));
        var tenant = NewTenant();
        await a.RegisterAccountsAsync(tenant, 1, 3);
        await b.Directory.RegisterSubUserAsync(tenant, 10, 2);
        Assert.That((await b.Resolver.ResolveAsync(tenant, 10)).Outcome, Is.EqualTo(RequirementOutcome.NotRequired));

        var update = await a.Settings.UpdateAsync(tenant, SettingsTarget.All, Email);

        foreach (var id in new long[] { 1, 2, 3, 10 })
        {
            var requirement = await b.Resolver.ResolveAsync(tenant, id);
            Assert.That(requirement.Outcome, Is.EqualTo(RequirementOutcome.Required), $"principal {id}");
            Assert.That(requirement.Factors, Is.EqualTo(FactorTypes.Email));
            Assert.That(requirement.Explanation.Source, Is.EqualTo(SettingSource.AllAccountsUpdate));
            Assert.That(requirement.Explanation.SettingVersion, Is.EqualTo(update.Version));
        }
    }

    [Test]
    public async Task SameIdRegisteredOverBothNodesAtOnce_ExactlyOneSucceeds()
    {
        var (a, b) = (StartNode("a"), StartNode("b"));
        var tenant = NewTenant();
        const long owner = 1_000_000;
        await a.RegisterAccountsAsync(tenant, owner, 1);

        for (long id = 1; id <= Rounds; id++)
        {
            // Accounts and sub-users share one id space: race account against account, account against sub-user, sub-user against sub-user.
            var (first, second) = (id % 3) switch
            {
                0 => (RegisterAccount(a), RegisterAccount(b)),
                1 => (RegisterAccount(a), RegisterSubUser(b)),
                _ => (RegisterSubUser(a), RegisterSubUser(b)),
            };

            var results = await RaceAllAsync(first, second);

            Assert.That(results.Count(r => r.Succeeded), Is.EqualTo(1), $"round {id}: {results[0]} / {results[1]}");
            Assert.That(results.Single(r => !r.Succeeded).Error, Is.EqualTo(DirectoryErrorCode.AlreadyExists), $"round {id}");
            var seenByA = await a.Resolver.ResolveAsync(tenant, id);
            Assert.That(await b.Resolver.ResolveAsync(tenant, id), Is.EqualTo(seenByA), $"round {id}: both nodes see the winner");
            Assert.That(seenByA.Outcome, Is.Not.EqualTo(RequirementOutcome.UnknownPrincipal));

            Func<Task<DirectoryResult>> RegisterAccount(TestNode node) => async () => await node.Directory.RegisterAccountAsync(tenant, id);
            Func<Task<DirectoryResult>> RegisterSubUser(TestNode node) => async () => await node.Directory.RegisterSubUserAsync(tenant, id, owner);
        }
    }

    [Test]
    public async Task SelectedUpdateRacingARemovalOnTheOtherNode_IsAllOrNothing()
    {
        var (a, b) = (StartNode("a"), StartNode("b"));
        const int accounts = 20;
        for (var round = 0; round < Rounds / 2; round++)
        {
            var tenant = NewTenant();
            var ids = await a.RegisterAccountsAsync(tenant, 1, accounts);
            var victim = ids[round % accounts];

            var (update, removal) = await RaceAsync(
                async () => await a.Settings.UpdateAsync(tenant, SettingsTarget.Selected(ids), Email),
                async () => await b.Directory.RemoveAsync(tenant, victim));

            Assert.That(removal.Succeeded, Is.True);
            if (!update.Succeeded)
            {
                Assert.That(update.Errors, Is.EqualTo(new[] { new SettingsError(SettingsErrorCode.NotFound, victim) }), $"round {round}");
            }

            var expected = update.Succeeded ? Email : TwoFactorSetting.Disallowed;
            foreach (var id in ids.Where(id => id != victim))
            {
                Assert.That((await b.Settings.ReadAsync(tenant, id)).Setting, Is.EqualTo(expected), $"round {round}, account {id}, update {update}");
            }

            await AssertCountsTrueAsync(b, tenant, ids);
        }
    }

    [Test]
    public async Task OverlappingSelectedUpdatesOnBothNodes_EachAppliesWhole()
    {
        var (a, b) = (StartNode("a"), StartNode("b"));
        for (var round = 0; round < Rounds / 2; round++)
        {
            var tenant = NewTenant();
            var ids = await a.RegisterAccountsAsync(tenant, 1, 15);

            var (first, second) = await RaceAsync(
                async () => await a.Settings.UpdateAsync(tenant, SettingsTarget.Selected(ids[..10]), Email),
                async () => await b.Settings.UpdateAsync(tenant, SettingsTarget.Selected(ids[4..]), Totp));

            Assert.That(first.Succeeded && second.Succeeded, Is.True);
            Assert.That(first.Version, Is.Not.EqualTo(second.Version));
            var later = first.Version > second.Version ? Email : Totp;
            for (var i = 0; i < ids.Length; i++)
            {
                var expected = i < 4 ? Email : i >= 10 ? Totp : later;
                Assert.That((await b.Settings.ReadAsync(tenant, ids[i])).Setting, Is.EqualTo(expected), $"round {round}, account {ids[i]}");
            }

            // Whichever ran first, each changed every account it names: the overlap moved from Disallowed, then to the other setting.
            Assert.That((first.ChangedAccounts, second.ChangedAccounts), Is.EqualTo((10L, 11L)));
            await AssertCountsTrueAsync(a, tenant, ids);
        }
    }

    [Test]
    public async Task MixedWritesOverBothNodesAtOnce_StampUniqueVersionsAndKeepCountsTrue()
    {
        var (a, b) = (StartNode("a"), StartNode("b"));
        var tenant = NewTenant();
        const int ids = 30;
        var versions = new List<long>();

        var results = await RaceAllAsync(() => WorkAsync(a, seed: 1), () => WorkAsync(b, seed: 2));

        versions.AddRange(results[0]);
        versions.AddRange(results[1]);
        Assert.That(versions, Is.Unique, "every accepted write takes its own version stamp");
        await AssertCountsTrueAsync(a, tenant, Enumerable.Range(1, ids).Select(i => (long)i).ToArray());

        async Task<List<long>> WorkAsync(TestNode node, int seed)
        {
            var random = new Random(seed);
            var stamped = new List<long>();
            TwoFactorSetting[] settings = [TwoFactorSetting.Disallowed, Email, Totp, TwoFactorSetting.Allowed(FactorTypes.Email | FactorTypes.Totp)];
            for (var step = 0; step < 80; step++)
            {
                var id = random.NextInt64(1, ids + 1);
                var setting = settings[random.Next(settings.Length)];
                switch (random.Next(6))
                {
                    case 0 or 1:
                        var added = await node.Directory.RegisterAccountAsync(tenant, id, isDemo: random.Next(4) == 0);
                        if (added.Succeeded)
                        {
                            stamped.Add(added.Account.Version);
                        }

                        break;
                    case 2:
                        await node.Directory.RemoveAsync(tenant, id);
                        break;
                    case 3:
                        await node.Directory.RegisterSubUserAsync(tenant, id, random.NextInt64(1, ids + 1));
                        break;
                    case 4:
                        var selected = Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.NextInt64(1, ids + 1)).Distinct();
                        var update = await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(selected), setting);
                        if (update.Succeeded)
                        {
                            stamped.Add(update.Version);
                        }

                        break;
                    default:
                        stamped.Add((await node.Settings.UpdateAsync(tenant, SettingsTarget.All, setting)).Version);
                        break;
                }
            }

            return stamped;
        }
    }

    /// <summary>Update-all's O(1) change count agrees with the accounts as they read one by one.</summary>
    private static async Task AssertCountsTrueAsync(TestNode node, TenantId tenant, long[] ids)
    {
        var accounts = new List<AccountSettingResult>();
        foreach (var id in ids)
        {
            accounts.Add(await node.Settings.ReadAsync(tenant, id));
        }

        foreach (var setting in new[] { TwoFactorSetting.Disallowed, Email, Totp, TwoFactorSetting.Allowed(FactorTypes.Email | FactorTypes.Totp) })
        {
            var expected = accounts.Count(a => a.Found && !a.IsDemo && a.Setting != setting);
            var counted = await node.Settings.UpdateAsync(tenant, SettingsTarget.All, setting, dryRun: true);
            Assert.That(counted.ChangedAccounts, Is.EqualTo(expected), $"accounts an update of all to {setting} would change");
        }
    }

    /// <summary>Starts both operations together behind a gate, on pool threads, and waits for both.</summary>
    private static async Task<T[]> RaceAllAsync<T>(Func<Task<T>> first, Func<Task<T>> second)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new[] { Task.Run(async () => { await gate.Task; return await first(); }), Task.Run(async () => { await gate.Task; return await second(); }) };
        gate.SetResult();
        return await Task.WhenAll(running);
    }

    private static async Task<(T1, T2)> RaceAsync<T1, T2>(Func<Task<T1>> first, Func<Task<T2>> second)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var one = Task.Run(async () => { await gate.Task; return await first(); });
        var two = Task.Run(async () => { await gate.Task; return await second(); });
        gate.SetResult();
        await Task.WhenAll(one, two);
        return (one.Result, two.Result);
    }
}
