using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Settings;

namespace Navixy.TwoFactor.Specification;

/// <summary>
/// The contract of the three policy store capabilities (<see cref="IPrincipalPolicyStore"/>,
/// <see cref="IPrincipalDirectoryStore"/>, <see cref="ISettingsStore"/>), exercised through the public services
/// the engine builds on them. Every store implementation derives a concrete fixture from this class; the
/// tests use only public API and a fresh tenant each, so they can share one database.
/// </summary>
public abstract partial class PolicyStoreSpecification : StoreSpecification
{
    private static readonly TwoFactorSetting Email = TwoFactorSetting.Allowed(FactorTypes.Email);
    private static readonly TwoFactorSetting Totp = TwoFactorSetting.Allowed(FactorTypes.Totp);
    private static readonly TwoFactorSetting Both = TwoFactorSetting.Allowed(FactorTypes.Email | FactorTypes.Totp);

    /// <summary>The engine's services over the stores under test.</summary>
    protected sealed class Engine(ServiceProvider provider) : IDisposable
    {
        public ITwoFactorDirectory Directory { get; } = provider.GetRequiredService<ITwoFactorDirectory>();

        public ITwoFactorSettings Settings { get; } = provider.GetRequiredService<ITwoFactorSettings>();

        public ITwoFactorResolver Resolver { get; } = provider.GetRequiredService<ITwoFactorResolver>();

        public IPrincipalPolicyStore Policies { get; } = provider.GetRequiredService<IPrincipalPolicyStore>();

        public async Task<Requirement> Resolve(TenantId tenant, long id) => await Resolver.ResolveAsync(tenant, id);

        public async Task<AccountSettingResult> Read(TenantId tenant, long id) => await Settings.ReadAsync(tenant, id);

        public async Task<SettingsUpdateResult> Update(TenantId tenant, SettingsTarget target, TwoFactorSetting setting, bool dryRun = false) =>
            await Settings.UpdateAsync(tenant, target, setting, dryRun);

        public async Task<DirectoryResult> Account(TenantId tenant, long id, AccountOrigin origin = AccountOrigin.Created, bool isDemo = false)
        {
            var result = await Directory.RegisterAccountAsync(tenant, id, origin, isDemo);
            Assert.That(result.Succeeded, Is.True, $"registering account {id}: {result.Error}");
            return result;
        }

        public async Task SubUser(TenantId tenant, long id, long accountId)
        {
            var result = await Directory.RegisterSubUserAsync(tenant, id, accountId);
            Assert.That(result.Succeeded, Is.True, $"registering sub-user {id}: {result.Error}");
        }

        /// <summary>Every answer and setting of the given ids, for before/after comparisons.</summary>
        public async Task<string> State(TenantId tenant, params long[] ids)
        {
            var parts = new List<string> { (await Settings.ReadDefaultAsync(tenant) ?? throw new InvalidOperationException("a store failed")).ToString() };
            foreach (var id in ids)
            {
                var answer = await Resolve(tenant, id);
                parts.Add($"{id}:{answer.Outcome}:{answer.Factors}:{answer.Reason}:{answer.Explanation}:{await Read(tenant, id)}");
            }

            return string.Join("|", parts);
        }

        public void Dispose() => provider.Dispose();
    }

    /// <summary>A new engine over the stores under test.</summary>
    protected Engine NewEngine() => new(CreateProvider());

    // Registration

    [Test]
    public async Task FreshTenant_DefaultIsDisallowed_AndNoPrincipalIsKnown()
    {
        using var engine = NewEngine();
        var tenant = NewTenant();

        Assert.That(await engine.Settings.ReadDefaultAsync(tenant), Is.EqualTo(TwoFactorSetting.Disallowed));
        Assert.That((await engine.Resolve(tenant, 1)).Outcome, Is.EqualTo(RequirementOutcome.UnknownPrincipal));
        Assert.That((await engine.Read(tenant, 1)).Found, Is.False);
        var tenantPolicy = await engine.Policies.GetTenantAsync(tenant, CancellationToken.None);
        Assert.That(tenantPolicy.DefaultSetting, Is.EqualTo(TwoFactorSetting.Disallowed));
        Assert.That(tenantPolicy.AllAccountsVersion, Is.Zero);
    }

    [Test]
    public async Task RegisterAccount_StoresOriginAndDemoFlag_AndTakesTheDefault()
    {
        using var engine = NewEngine();
        var tenant = NewTenant();
        await engine.Settings.UpdateDefaultAsync(tenant, Email);

        var created = await engine.Account(tenant, 1);
        var imported = await engine.Account(tenant, 2, AccountOrigin.Imported);
        var demo = await engine.Account(tenant, 3, AccountOrigin.Imported, isDemo: true);

        Assert.Multiple(() =>
        {
            Assert.That(created.Account.Origin, Is.EqualTo(AccountOrigin.Created));
            Assert.That(imported.Account.Origin, Is.EqualTo(AccountOrigin.Imported));
            Assert.That(demo.Account.IsDemo, Is.True);
            Assert.That(new[] { created, imported, demo }.Select(r => r.Account.Setting), Is.All.EqualTo(Email));
            Assert.That(new[] { created, imported, demo }.Select(r => r.Account.Source), Is.All.EqualTo(SettingSource.TenantDefault));
            Assert.That(created.Affected, Is.EqualTo(1));
        });
        Assert.That(await engine.Read(tenant, 3), Is.EqualTo(AccountSettingResult.Of(Email, SettingSource.TenantDefault, isDemo: true)));
        Assert.That((await engine.Resolve(tenant, 2)).Factors, Is.EqualTo(FactorTypes.Email));
        Assert.That((await engine.Resolve(tenant, 3)).Reason, Is.EqualTo(NotRequiredReason.DemoAccount));
    }

    [Test]
    public async Task Register_IdAlreadyUsedByAnAccountOrASubUser_IsRefused()
    {
        using var engine = NewEngine();
        var tenant = NewTenant();
        await engine.Account(tenant, 1);
        await engine.Account(tenant, 2);
        await engine.SubUser(tenant, 10, 1);
        var before = await engine.State(tenant, 1, 2, 10, 11);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await engine.Directory.RegisterAccountAsync(tenant, 1)).Error, Is.EqualTo(DirectoryErrorCode.AlreadyExists));
            Assert.That((await engine.Directory.RegisterAccountAsync(tenant, 10)).Error, Is.EqualTo(DirectoryErrorCode.AlreadyExists));
            Assert.That((await engine.Directory.RegisterSubUserAsync(tenant, 10, 2)).Error, Is.EqualTo(DirectoryErrorCode.AlreadyExists));
            Assert.That((await engine.Directory.RegisterSubUserAsync(tenant, 2, 1)).Error, Is.EqualTo(DirectoryErrorCode.AlreadyExists));
            Assert.That((await engine.Directory.RegisterSubUserAsync(tenant, 11, 99)).Error, Is.EqualTo(DirectoryErrorCode.AccountNotFound));
            Assert.That((await engine.Directory.RegisterSubUserAsync(tenant, 11, 10)).Error, Is.EqualTo(DirectoryErrorCode.AccountNotFound), "a sub-user owns no sub-users");
        });
        Assert.That(await engine.State(tenant, 1, 2, 10, 11), Is.EqualTo(before));
        Assert.That((await engine.Resolve(tenant, 10)).Explanation.AccountId, Is.EqualTo(1), "the sub-user still belongs to account 1");
    }

    // Removal

    [Test]
    public async Task RemoveAccount_RemovesItsSubUsersToo_AndNothingElse()
    {
        using var engine = NewEngine();
        var tenant = NewTenant();
        await engine.Account(tenant, 1);
        await engine.Account(tenant, 2);
        await engine.SubUser(tenant, 10, 1);
        await engine.SubUser(tenant, 11, 1);
        await engine.SubUser(tenant, 20, 2);

        var removed = await engine.Directory.RemoveAsync(tenant, 1);

        Assert.That(removed.Succeeded, Is.True);
        Assert.That(removed.Affected, Is.EqualTo(3));
        Assert.That(removed.RemovedPrincipalIds, Is.EqualTo(new long[] { 1, 10, 11 }), "every removed id, in ascending order");
        foreach (var id in new long[] { 1, 10, 11 })
        {
            Assert.That((await engine.Resolve(tenant, id)).Outcome, Is.EqualTo(RequirementOutcome.UnknownPrincipal), $"principal {id}");
        }

        Assert.That((await engine.Resolve(tenant, 20)).Explanation.AccountId, Is.EqualTo(2));
        Assert.That((await engine.Directory.RemoveAsync(tenant, 1)).Error, Is.EqualTo(DirectoryErrorCode.NotFound));
    }

    [Test]
    public async Task RemoveSubUser_LeavesItsAccount_AndTheIdCanBeReused()
    {
        using var engine = NewEngine();
        var tenant = NewTenant();
        await engine.Account(tenant, 1);
        await engine.SubUser(tenant, 10, 1);

        var removed = await engine.Directory.RemoveAsync(tenant, 10);

        Assert.That(removed.Affected, Is.EqualTo(1));
        Assert.That(removed.RemovedPrincipalIds, Is.EqualTo(new long[] { 10 }));
        Assert.That((await engine.Resolve(tenant, 10)).Outcome, Is.EqualTo(RequirementOutcome.UnknownPrincipal));
        Assert.That((await engine.Resolve(tenant, 1)).Outcome, Is.EqualTo(RequirementOutcome.NotRequired));
        await engine.Account(tenant, 10);
        Assert.That((await engine.Resolve(tenant, 10)).Explanation.PrincipalKind, Is.EqualTo(PrincipalKind.Account));
    }

    [Test]
    public async Task ReRegisteredAccount_StartsAfresh_WithTheCurrentDefaultAndNoSubUsers()
    {
        using var engine = NewEngine();
        var tenant = NewTenant();
        await engine.Account(tenant, 1);
        await engine.SubUser(tenant, 10, 1);
        await engine.Update(tenant, SettingsTarget.Selected(1), Both);
        await engine.Directory.RemoveAsync(tenant, 1);
        await engine.Settings.UpdateDefaultAsync(tenant, Totp);

        await engine.Account(tenant, 1);

        Assert.That(await engine.Read(tenant, 1), Is.EqualTo(AccountSettingResult.Of(Totp, SettingSource.TenantDefault, false)));
        Assert.That((await engine.Resolve(tenant, 10)).Outcome, Is.EqualTo(RequirementOutcome.UnknownPrincipal));
    }

    // Updates

    [Test]
    public async Task UpdateAll_SetsEveryExistingAccount_DemoIncluded_NotLaterOnes()
    {
        using var engine = NewEngine();
        var tenant = NewTenant();
        await engine.Account(tenant, 1);
        await engine.Account(tenant, 2, isDemo: true);
        await engine.Account(tenant, 3);
        await engine.Update(tenant, SettingsTarget.Selected(3), Email);
        await engine.SubUser(tenant, 10, 1);

        var result = await engine.Update(tenant, SettingsTarget.All, Email);
        await engine.Account(tenant, 4);

        Assert.That(result.Succeeded, Is.True);
        Assert.That(result.ChangedAccounts, Is.EqualTo(1), "account 1 changed; demo 2 is not counted; 3 already had it");
        Assert.That(await engine.Read(tenant, 1), Is.EqualTo(AccountSettingResult.Of(Email, SettingSource.AllAccountsUpdate, false)));
        Assert.That(await engine.Read(tenant, 2), Is.EqualTo(AccountSettingResult.Of(Email, SettingSource.AllAccountsUpdate, true)));
        Assert.That((await engine.Resolve(tenant, 10)).Factors, Is.EqualTo(FactorTypes.Email));
        Assert.That(await engine.Read(tenant, 4), Is.EqualTo(AccountSettingResult.Of(TwoFactorSetting.Disallowed, SettingSource.TenantDefault, false)));
    }

    [Test]
    public async Task UpdateSelected_SetsExactlyTheListedAccounts_AndCountsRealChanges()
    {
        using var engine = NewEngine();
        var tenant = NewTenant();
        for (long id = 1; id <= 5; id++)
        {
            await engine.Account(tenant, id, isDemo: id == 5);
        }

        await engine.SubUser(tenant, 10, 2);
        var untouched = await engine.State(tenant, 1, 4);

        var first = await engine.Update(tenant, SettingsTarget.Selected(2, 3, 3, 5), Totp);
        var second = await engine.Update(tenant, SettingsTarget.Selected(2, 3), Totp);

        Assert.That(first.ChangedAccounts, Is.EqualTo(2), "2 and 3 changed; duplicates count once; demo 5 is not counted");
        Assert.That(second.ChangedAccounts, Is.Zero, "nothing changes the second time");
        Assert.That((await engine.Resolve(tenant, 10)).Factors, Is.EqualTo(FactorTypes.Totp));
        Assert.That((await engine.Read(tenant, 5)).Setting, Is.EqualTo(Totp));
        Assert.That(await engine.State(tenant, 1, 4), Is.EqualTo(untouched));
    }

    [Test]
    public async Task UpdateDefault_ChangesNoExistingAccount()
    {
        using var engine = NewEngine();
        var tenant = NewTenant();
        await engine.Account(tenant, 1);
        await engine.SubUser(tenant, 10, 1);
        var before = await engine.State(tenant, 1, 10);

        var result = await engine.Settings.UpdateDefaultAsync(tenant, Email);

        Assert.That(result.Succeeded, Is.True);
        Assert.That(result.ChangedAccounts, Is.Zero);
        Assert.That((await engine.State(tenant, 1, 10)).Split('|', 2)[1], Is.EqualTo(before.Split('|', 2)[1]));
        Assert.That(await engine.Settings.ReadDefaultAsync(tenant), Is.EqualTo(Email));
    }

    [Test]
    public async Task EnforceForEveryone_SetsEveryAccountAndTheDefault()
    {
        using var engine = NewEngine();
        var tenant = NewTenant();
        await engine.Account(tenant, 1);
        await engine.Account(tenant, 2, AccountOrigin.Imported);

        var result = await engine.Settings.EnforceForEveryoneAsync(tenant, Email);
        await engine.Account(tenant, 3, AccountOrigin.Imported);

        Assert.That(result.ChangedAccounts, Is.EqualTo(2));
        foreach (var id in new long[] { 1, 2, 3 })
        {
            Assert.That((await engine.Resolve(tenant, id)).Factors, Is.EqualTo(FactorTypes.Email), $"account {id}");
        }

        Assert.That(await engine.Settings.ReadDefaultAsync(tenant), Is.EqualTo(Email));
        Assert.That((await engine.Policies.GetTenantAsync(tenant, CancellationToken.None)).AllAccountsVersion, Is.EqualTo(result.Version));
    }

    [Test]
    public async Task RejectedUpdate_NamesEveryOffendingId_AndChangesNothing()
    {
        using var engine = NewEngine();
        var tenant = NewTenant();
        var other = NewTenant();
        await engine.Account(tenant, 1);
        await engine.Account(tenant, 2);
        await engine.SubUser(tenant, 10, 1);
        await engine.Account(other, 50);
        var before = await engine.State(tenant, 1, 2, 10, 50);

        var result = await engine.Update(tenant, SettingsTarget.Selected(1, 99, 10, 50, 2), Email);
        var dryRun = await engine.Update(tenant, SettingsTarget.Selected(1, 99, 10, 50, 2), Email, dryRun: true);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Errors, Is.EquivalentTo(new[]
        {
            new SettingsError(SettingsErrorCode.NotFound, 99),
            new SettingsError(SettingsErrorCode.NotAnAccount, 10),
            new SettingsError(SettingsErrorCode.NotFound, 50),
        }));
        Assert.That(dryRun.Errors, Is.EquivalentTo(result.Errors));
        Assert.That(await engine.State(tenant, 1, 2, 10, 50), Is.EqualTo(before));
    }

    [Test]
    public async Task DryRun_AnswersTheCountOfTheRealUpdate_AndChangesNothing()
    {
        using var engine = NewEngine();
        var tenant = NewTenant();
        for (long id = 1; id <= 6; id++)
        {
            await engine.Account(tenant, id, isDemo: id == 6);
        }

        await engine.Update(tenant, SettingsTarget.Selected(1), Email);
        var before = await engine.State(tenant, 1, 2, 3, 4, 5, 6);

        var all = await engine.Update(tenant, SettingsTarget.All, Email, dryRun: true);
        var selected = await engine.Update(tenant, SettingsTarget.Selected(1, 2, 6), Email, dryRun: true);
        var enforce = await engine.Settings.EnforceForEveryoneAsync(tenant, Email, dryRun: true);
        var defaultOnly = await engine.Settings.UpdateDefaultAsync(tenant, Email, dryRun: true);

        Assert.That(new[] { all, selected, enforce, defaultOnly }, Has.All.Matches<SettingsUpdateResult>(r => r.Succeeded && r.IsDryRun && r.Version == 0));
        Assert.That(await engine.State(tenant, 1, 2, 3, 4, 5, 6), Is.EqualTo(before));
        Assert.That(all.ChangedAccounts, Is.EqualTo(4));
        Assert.That(selected.ChangedAccounts, Is.EqualTo(1));
        Assert.That(enforce.ChangedAccounts, Is.EqualTo(4));
        Assert.That((await engine.Update(tenant, SettingsTarget.Selected(1, 2, 6), Email)).ChangedAccounts, Is.EqualTo(selected.ChangedAccounts));
        Assert.That((await engine.Update(tenant, SettingsTarget.All, Email)).ChangedAccounts, Is.EqualTo(all.ChangedAccounts - 1));
    }

    // Tenant isolation

    [Test]
    public async Task TwoTenantsWithTheSameIds_NeverSeeEachOther()
    {
        using var engine = NewEngine();
        var a = NewTenant();
        var b = NewTenant();
        await engine.Account(a, 1);
        await engine.SubUser(a, 2, 1);
        await engine.Account(b, 1, isDemo: true);
        await engine.Account(b, 2);
        await engine.Account(b, 3);
        var stateB = await engine.State(b, 1, 2, 3);

        await engine.Settings.EnforceForEveryoneAsync(a, Email);
        await engine.Update(a, SettingsTarget.Selected(1), Totp);
        var foreign = await engine.Update(a, SettingsTarget.Selected(3), Email);
        var missing = await engine.Update(a, SettingsTarget.Selected(4), Email);
        var removeForeign = await engine.Directory.RemoveAsync(a, 3);

        Assert.That(await engine.State(b, 1, 2, 3), Is.EqualTo(stateB), "tenant B unchanged");
        Assert.That((await engine.Resolve(a, 2)).Explanation.PrincipalKind, Is.EqualTo(PrincipalKind.SubUser), "id 2 is a sub-user in A, an account in B");
        Assert.That((await engine.Resolve(a, 1)).Factors, Is.EqualTo(FactorTypes.Totp), "id 1 is demo in B, not in A");
        Assert.That(foreign.Errors, Is.EqualTo(new[] { new SettingsError(SettingsErrorCode.NotFound, 3) }));
        Assert.That(missing.Errors, Is.EqualTo(new[] { new SettingsError(SettingsErrorCode.NotFound, 4) }));
        Assert.That(removeForeign.Error, Is.EqualTo(DirectoryErrorCode.NotFound));
        Assert.That(removeForeign.RemovedPrincipalIds, Is.Empty);
        var asForeign = await engine.Resolve(a, 3);
        var asMissing = await engine.Resolve(a, 4);
        Assert.That((asForeign.Outcome, asForeign.Reason, asForeign.Explanation), Is.EqualTo((asMissing.Outcome, asMissing.Reason, asMissing.Explanation)), "a foreign id resolves like a missing one");
        Assert.That(asForeign.Outcome, Is.EqualTo(RequirementOutcome.UnknownPrincipal));
        Assert.That(await engine.Read(a, 3), Is.EqualTo(AccountSettingResult.NotFound));
    }

    // Version ordering (S4)

    [Test]
    public async Task Versions_IncreaseInAcceptanceOrder_AndTheLaterStampWins()
    {
        using var engine = NewEngine();
        var tenant = NewTenant();
        var registered = await engine.Account(tenant, 1);
        await engine.Account(tenant, 2);

        var selected = await engine.Update(tenant, SettingsTarget.Selected(1), Email);
        var all = await engine.Update(tenant, SettingsTarget.All, Totp);
        var after = await engine.Update(tenant, SettingsTarget.Selected(2), Both);
        var lateAccount = await engine.Account(tenant, 3);

        Assert.That(new[] { registered.Account.Version, selected.Version, all.Version, after.Version, lateAccount.Account.Version }, Is.Ordered.Ascending.And.Unique);
        Assert.That(registered.Account.Version, Is.Positive);

        var one = await engine.Resolve(tenant, 1);
        var two = await engine.Resolve(tenant, 2);
        var three = await engine.Resolve(tenant, 3);
        Assert.That((one.Factors, one.Explanation.Source, one.Explanation.SettingVersion), Is.EqualTo((FactorTypes.Totp, SettingSource.AllAccountsUpdate, all.Version)), "update-all after the individual update overrides it");
        Assert.That((two.Factors, two.Explanation.Source, two.Explanation.SettingVersion), Is.EqualTo((Both.Factors, SettingSource.SelectedUpdate, after.Version)), "the individual update after update-all overrides it");
        Assert.That((three.Outcome, three.Explanation.Source, three.Explanation.SettingVersion), Is.EqualTo((RequirementOutcome.NotRequired, SettingSource.TenantDefault, lateAccount.Account.Version)), "a later account keeps the default it took");
    }

    // Concurrency

    [Test]
    public async Task ParallelSelectedUpdatesAndResolves_NeverObserveAPartialOrRejectedState()
    {
        const int accounts = 40;
        const int updatesPerWriter = 150;
        const int resolvesPerReader = 1500;
        using var engine = NewEngine();
        var tenant = NewTenant();
        var ids = Enumerable.Range(1, accounts).Select(i => (long)i).ToArray();
        foreach (var id in ids)
        {
            await engine.Account(tenant, id);
            await engine.SubUser(tenant, 1000 + id, id);
        }

        var accepted = new ConcurrentDictionary<long, TwoFactorSetting>();
        var baseline = await engine.Update(tenant, SettingsTarget.Selected(ids), Email);
        accepted[baseline.Version] = Email;
        var observations = new ConcurrentBag<(long Principal, Requirement Answer)>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task Writer(int seed)
        {
            await start.Task;
            TwoFactorSetting[] settings = [Email, Totp, Both];
            for (var i = 0; i < updatesPerWriter; i++)
            {
                var setting = settings[(i + seed) % settings.Length];
                var result = await engine.Update(tenant, SettingsTarget.Selected(ids), setting);
                Assert.That(result.Succeeded, Is.True);
                accepted[result.Version] = setting;

                // A rejected update (one unknown id) that would switch everyone off must never show.
                var rejected = await engine.Update(tenant, SettingsTarget.Selected([.. ids, 999_999]), TwoFactorSetting.Disallowed);
                Assert.That(rejected.Succeeded, Is.False);
            }
        }

        async Task Reader(int seed)
        {
            await start.Task;
            var random = new Random(seed);
            for (var i = 0; i < resolvesPerReader; i++)
            {
                var id = ids[random.Next(accounts)] + (random.Next(2) == 0 ? 0 : 1000);
                observations.Add((id, await engine.Resolve(tenant, id)));
            }
        }

        var tasks = new[] { Task.Run(() => Writer(0)), Task.Run(() => Writer(1)), Task.Run(() => Reader(1)), Task.Run(() => Reader(2)) };
        start.SetResult();
        await Task.WhenAll(tasks);

        Assert.That(observations, Has.Count.EqualTo(2 * resolvesPerReader));
        foreach (var (principal, answer) in observations)
        {
            Assert.That(answer.Outcome, Is.EqualTo(RequirementOutcome.Required), $"principal {principal} answered {answer}");
            Assert.That(accepted.TryGetValue(answer.Explanation.SettingVersion, out var setting), Is.True, $"principal {principal} saw version {answer.Explanation.SettingVersion}, which no accepted update wrote");
            Assert.That(answer.Factors, Is.EqualTo(setting.Factors), $"principal {principal} saw factors that version {answer.Explanation.SettingVersion} did not write");
        }

        var last = accepted.Keys.Max();
        foreach (var id in ids)
        {
            var answer = await engine.Resolve(tenant, id);
            Assert.That((answer.Explanation.SettingVersion, answer.Factors), Is.EqualTo((last, accepted[last].Factors)), $"account {id} after all updates");
        }
    }

    [Test]
    public async Task ParallelRegistrationsOfTheSameId_ExactlyOneSucceeds()
    {
        const int rounds = 400;
        var contenders = Math.Max(4, Environment.ProcessorCount);
        using var engine = NewEngine();
        var tenant = NewTenant();
        await engine.Account(tenant, 1);

        for (long id = 100; id < 100 + rounds; id++)
        {
            var candidate = id;

            // Half try an account, half a sub-user of account 1, all with the same id.
            var results = RunTogether(contenders, i => i % 2 == 0
                ? (Kind: PrincipalKind.Account, Result: engine.Directory.RegisterAccountAsync(tenant, candidate).AsTask().GetAwaiter().GetResult())
                : (Kind: PrincipalKind.SubUser, Result: engine.Directory.RegisterSubUserAsync(tenant, candidate, 1).AsTask().GetAwaiter().GetResult()));

            var winners = results.Where(r => r.Result.Succeeded).ToList();
            Assert.That(winners, Has.Count.EqualTo(1), $"id {id}");
            Assert.That(results.Where(r => !r.Result.Succeeded).Select(r => r.Result.Error), Is.All.EqualTo(DirectoryErrorCode.AlreadyExists), $"id {id}");
            Assert.That((await engine.Resolve(tenant, id)).Explanation.PrincipalKind, Is.EqualTo(winners[0].Kind), $"id {id} is what the winner registered");
        }
    }

    /// <summary>
    /// Runs <paramref name="count"/> calls on dedicated threads released together (spinning on a shared gate,
    /// so they start within a few hundred nanoseconds of each other); returns when all have finished.
    /// </summary>
    protected static T[] RunTogether<T>(int count, Func<int, T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var results = new T[count];
        var errors = new Exception?[count];
        var ready = 0;
        var threads = Enumerable.Range(0, count).Select(i => new Thread(() =>
        {
            Interlocked.Increment(ref ready);
            var spin = new SpinWait();
            while (Volatile.Read(ref ready) < count)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }

            try
            {
                results[i] = action(i);
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        })
        { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var failure = errors.FirstOrDefault(e => e is not null);
        return failure is null ? results : throw new AggregateException(failure);
    }

    [Test]
    public async Task EnforceForEveryone_DuringRegistrations_LeavesNoAccountBehind()
    {
        const int registrations = 200;
        using var engine = NewEngine();
        var tenant = NewTenant();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var registering = Task.Run(async () =>
        {
            await start.Task;
            for (long id = 1; id <= registrations; id++)
            {
                await engine.Account(tenant, id);
            }
        });
        var enforcing = Task.Run(async () =>
        {
            await start.Task;
            return await engine.Settings.EnforceForEveryoneAsync(tenant, Email);
        });
        start.SetResult();
        await Task.WhenAll(registering, enforcing);

        // Atomic (S6): an account registered before the step is set by it, one registered after takes the new default.
        for (long id = 1; id <= registrations; id++)
        {
            Assert.That((await engine.Resolve(tenant, id)).Factors, Is.EqualTo(FactorTypes.Email), $"account {id}");
        }

        Assert.That((await enforcing).Succeeded, Is.True);
    }

    [Test]
    public async Task ParallelUpdateAllAndSelected_EachAccountEndsWithItsLatestAcceptedWrite()
    {
        const int accounts = 20;
        const int rounds = 100;
        using var engine = NewEngine();
        var tenant = NewTenant();
        for (long id = 1; id <= accounts; id++)
        {
            await engine.Account(tenant, id);
        }

        var writes = new ConcurrentBag<(long Version, long[] Ids, TwoFactorSetting Setting)>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allIds = Enumerable.Range(1, accounts).Select(i => (long)i).ToArray();

        var bulk = Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < rounds; i++)
            {
                var setting = i % 2 == 0 ? Email : TwoFactorSetting.Disallowed;
                var result = await engine.Update(tenant, SettingsTarget.All, setting);
                writes.Add((result.Version, allIds, setting));
            }
        });
        var individual = Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < rounds; i++)
            {
                long[] ids = [1 + (i % accounts), 1 + ((i * 7) % accounts)];
                var result = await engine.Update(tenant, SettingsTarget.Selected(ids), Totp);
                writes.Add((result.Version, ids, Totp));
            }
        });
        start.SetResult();
        await Task.WhenAll(bulk, individual);

        foreach (var id in allIds)
        {
            var last = writes.Where(w => w.Ids.Contains(id)).MaxBy(w => w.Version);
            var read = await engine.Read(tenant, id);
            Assert.That(read.Setting, Is.EqualTo(last.Setting), $"account {id}: last accepted write was version {last.Version}");
            Assert.That((await engine.Resolve(tenant, id)).Explanation.SettingVersion, Is.EqualTo(last.Version), $"account {id}");
        }
    }
}
