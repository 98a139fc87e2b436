using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores.InMemory;
using Navixy.TwoFactor.Tests.Policy;

namespace Navixy.TwoFactor.Tests.Settings;

/// <summary>
/// Bad input at every public entry point of the services: misuse (default tenant, null target, unknown enum
/// value) throws an ArgumentException; hostile values (non-positive, extreme, unknown ids, empty or absurd lists,
/// invalid settings) get a clear result value and never a partial change.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The engine is created per test in SetUp and disposed in TearDown.")]
public class TwoFactorSettingsServiceBadInputTests
{
    private static readonly TenantId Tenant = new(9);
    private static readonly TwoFactorSetting Email = TwoFactorSetting.Allowed(FactorTypes.Email);

    private TestEngine _engine = null!;

    [SetUp]
    public void SetUp()
    {
        _engine = new TestEngine();
        Run(_engine.Directory.RegisterAccountAsync(Tenant, 1));
        Run(_engine.Directory.RegisterAccountAsync(Tenant, 2, AccountOrigin.Imported, isDemo: true));
        Run(_engine.Directory.RegisterSubUserAsync(Tenant, 3, 1));
        Run(_engine.Settings.UpdateAsync(Tenant, SettingsTarget.Selected(1), TwoFactorSetting.Allowed(FactorTypes.Totp)));
    }

    [TearDown]
    public void TearDown() => _engine.Dispose();

    public static IEnumerable<TestCaseData> EveryEntryPoint()
    {
        static TestCaseData Case(string name, Func<TestEngine, TenantId, CancellationToken, Task> call) => new TestCaseData(call).SetArgDisplayNames(name);

        yield return Case("ResolveAsync", (e, t, c) => e.Resolver.ResolveAsync(t, 1, c).AsTask());
        yield return Case("ReadAsync", (e, t, c) => e.Settings.ReadAsync(t, 1, c).AsTask());
        yield return Case("UpdateAsync all", (e, t, c) => e.Settings.UpdateAsync(t, SettingsTarget.All, Email, cancellationToken: c).AsTask());
        yield return Case("UpdateAsync selected", (e, t, c) => e.Settings.UpdateAsync(t, SettingsTarget.Selected(1), Email, cancellationToken: c).AsTask());
        yield return Case("UpdateAsync dry run", (e, t, c) => e.Settings.UpdateAsync(t, SettingsTarget.All, Email, dryRun: true, cancellationToken: c).AsTask());
        yield return Case("ReadDefaultAsync", (e, t, c) => e.Settings.ReadDefaultAsync(t, c).AsTask());
        yield return Case("UpdateDefaultAsync", (e, t, c) => e.Settings.UpdateDefaultAsync(t, Email, cancellationToken: c).AsTask());
        yield return Case("EnforceForEveryoneAsync", (e, t, c) => e.Settings.EnforceForEveryoneAsync(t, Email, cancellationToken: c).AsTask());
        yield return Case("RegisterAccountAsync", (e, t, c) => e.Directory.RegisterAccountAsync(t, 10, cancellationToken: c).AsTask());
        yield return Case("RegisterSubUserAsync", (e, t, c) => e.Directory.RegisterSubUserAsync(t, 10, 1, c).AsTask());
        yield return Case("RemoveAsync", (e, t, c) => e.Directory.RemoveAsync(t, 1, c).AsTask());
    }

    [TestCaseSource(nameof(EveryEntryPoint))]
    public void EntryPoint_DefaultTenant_ThrowsArgumentExceptionAndChangesNothing(Func<TestEngine, TenantId, CancellationToken, Task> call)
    {
        var before = Snapshot();

        var thrown = Assert.CatchAsync<ArgumentException>(() => call(_engine, default, CancellationToken.None));

        Assert.That(thrown!.ParamName, Is.EqualTo("tenant"));
        Assert.That(thrown.Message, Does.Contain("default(TenantId)"));
        Assert.That(Snapshot(), Is.EqualTo(before));
    }

    [TestCaseSource(nameof(EveryEntryPoint))]
    public void EntryPoint_CancelledToken_ThrowsOperationCanceledAndChangesNothing(Func<TestEngine, TenantId, CancellationToken, Task> call)
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var before = Snapshot();

        Assert.CatchAsync<OperationCanceledException>(() => call(_engine, Tenant, cancelled.Token));

        Assert.That(Snapshot(), Is.EqualTo(before));
        Assert.DoesNotThrowAsync(() => call(_engine, Tenant, CancellationToken.None), "the same call with a live token works");
    }

    [Test]
    public void UpdateAsync_NullTarget_ThrowsArgumentNullException()
    {
        var thrown = Assert.CatchAsync<ArgumentNullException>(() => _engine.Settings.UpdateAsync(Tenant, null!, Email).AsTask());
        Assert.That(thrown!.ParamName, Is.EqualTo("target"));
    }

    [Test]
    public void SettingsTarget_NullIds_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => SettingsTarget.Selected((IEnumerable<long>)null!));
        Assert.Throws<ArgumentNullException>(() => SettingsTarget.Selected((long[])null!));
    }

    [Test]
    public async Task UpdateSelected_EndlessIdSequence_IsRejectedAsTooManyIdsWithoutHanging()
    {
        var before = Snapshot();

        var result = await _engine.Settings.UpdateAsync(Tenant, SettingsTarget.Selected(Endless()), Email);

        Assert.That(result.Errors, Is.EqualTo(new[] { new SettingsError(SettingsErrorCode.TooManyIds) }));
        Assert.That(Snapshot(), Is.EqualTo(before));

        static IEnumerable<long> Endless()
        {
            for (long id = 1; ; id++)
            {
                yield return id;
            }
        }
    }

    [Test]
    public void InMemoryStore_UpdateSelectedWithNoIds_ThrowsArgumentException()
    {
        var store = new Navixy.TwoFactor.Stores.InMemory.InMemoryPolicyStore(TimeProvider.System);
        Assert.Throws<ArgumentException>(() => store.UpdateSelectedAsync(Tenant, [], Email, dryRun: false, default, CancellationToken.None).AsTask());
    }

    [Test]
    public void RegisterAccountAsync_UndefinedOrigin_ThrowsArgumentOutOfRange()
    {
        var before = Snapshot();
        Assert.CatchAsync<ArgumentOutOfRangeException>(() => _engine.Directory.RegisterAccountAsync(Tenant, 10, (AccountOrigin)7).AsTask());
        Assert.That(Snapshot(), Is.EqualTo(before));
    }

    [TestCase(0L)]
    [TestCase(-1L)]
    [TestCase(long.MinValue)]
    public void Directory_NonPositiveIds_AnswerResultsAndChangeNothing(long id)
    {
        var before = Snapshot();

        Assert.Multiple(() =>
        {
            Assert.That(Run(_engine.Directory.RegisterAccountAsync(Tenant, id)).Error, Is.EqualTo(DirectoryErrorCode.NonPositiveId));
            Assert.That(Run(_engine.Directory.RegisterSubUserAsync(Tenant, id, 1)).Error, Is.EqualTo(DirectoryErrorCode.NonPositiveId));
            Assert.That(Run(_engine.Directory.RegisterSubUserAsync(Tenant, 10, id)).Error, Is.EqualTo(DirectoryErrorCode.AccountNotFound));
            Assert.That(Run(_engine.Directory.RemoveAsync(Tenant, id)).Error, Is.EqualTo(DirectoryErrorCode.NotFound));
            Assert.That(Run(_engine.Settings.ReadAsync(Tenant, id)), Is.EqualTo(AccountSettingResult.NotFound));
            Assert.That(Run(_engine.Resolver.ResolveAsync(Tenant, id)).Outcome, Is.EqualTo(RequirementOutcome.UnknownPrincipal));
        });
        Assert.That(Snapshot(), Is.EqualTo(before));
    }

    [TestCase(long.MaxValue)]
    [TestCase(int.MaxValue + 1L)]
    public void Directory_HugeUnknownIds_AreNotFound(long id)
    {
        var before = Snapshot();

        Assert.Multiple(() =>
        {
            Assert.That(Run(_engine.Directory.RegisterSubUserAsync(Tenant, 10, id)).Error, Is.EqualTo(DirectoryErrorCode.AccountNotFound));
            Assert.That(Run(_engine.Directory.RemoveAsync(Tenant, id)).Error, Is.EqualTo(DirectoryErrorCode.NotFound));
            Assert.That(Run(_engine.Settings.ReadAsync(Tenant, id)).Found, Is.False);
            Assert.That(Run(_engine.Resolver.ResolveAsync(Tenant, id)).Outcome, Is.EqualTo(RequirementOutcome.UnknownPrincipal));
        });
        Assert.That(Snapshot(), Is.EqualTo(before));
        Assert.That(Run(_engine.Directory.RegisterAccountAsync(Tenant, id)).Succeeded, Is.True, "a huge id is a valid account id");
    }

    [Test]
    public void Directory_SameIdTwice_OrSubUserOfASubUser_IsRefused()
    {
        var before = Snapshot();

        Assert.Multiple(() =>
        {
            Assert.That(Run(_engine.Directory.RegisterAccountAsync(Tenant, 1)).Error, Is.EqualTo(DirectoryErrorCode.AlreadyExists));
            Assert.That(Run(_engine.Directory.RegisterAccountAsync(Tenant, 3)).Error, Is.EqualTo(DirectoryErrorCode.AlreadyExists), "sub-users share the id space");
            Assert.That(Run(_engine.Directory.RegisterSubUserAsync(Tenant, 1, 2)).Error, Is.EqualTo(DirectoryErrorCode.AlreadyExists));
            Assert.That(Run(_engine.Directory.RegisterSubUserAsync(Tenant, 10, 3)).Error, Is.EqualTo(DirectoryErrorCode.AccountNotFound), "a sub-user cannot own sub-users");
        });
        Assert.That(Snapshot(), Is.EqualTo(before));
    }

    public static IEnumerable<TestCaseData> HostileIdLists()
    {
        yield return new TestCaseData(Array.Empty<long>(), new[] { new SettingsError(SettingsErrorCode.EmptyTarget) }).SetArgDisplayNames("empty");
        yield return new TestCaseData(new[] { 1L, 0L }, new[] { new SettingsError(SettingsErrorCode.NonPositiveId, 0) }).SetArgDisplayNames("zero");
        yield return new TestCaseData(new[] { long.MinValue, 1L, long.MinValue }, new[] { new SettingsError(SettingsErrorCode.NonPositiveId, long.MinValue) }).SetArgDisplayNames("long.MinValue twice");
        yield return new TestCaseData(new[] { long.MaxValue, 1L }, new[] { new SettingsError(SettingsErrorCode.NotFound, long.MaxValue) }).SetArgDisplayNames("long.MaxValue");
        yield return new TestCaseData(new[] { 1L, 3L }, new[] { new SettingsError(SettingsErrorCode.NotAnAccount, 3) }).SetArgDisplayNames("sub-user");
        yield return new TestCaseData(new[] { -5L, 3L, 77L, 1L, 2L }, new[]
        {
            new SettingsError(SettingsErrorCode.NonPositiveId, -5),
            new SettingsError(SettingsErrorCode.NotAnAccount, 3),
            new SettingsError(SettingsErrorCode.NotFound, 77),
        }).SetArgDisplayNames("every kind at once");
    }

    [TestCaseSource(nameof(HostileIdLists))]
    public void UpdateSelected_HostileIdList_IsRejectedNamingEachIdAndChangesNothing(long[] ids, SettingsError[] expected)
    {
        var before = Snapshot();

        var result = Run(_engine.Settings.UpdateAsync(Tenant, SettingsTarget.Selected(ids), Email));
        var dryRun = Run(_engine.Settings.UpdateAsync(Tenant, SettingsTarget.Selected(ids), Email, dryRun: true));

        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Errors, Is.EquivalentTo(expected));
            Assert.That(result.ChangedAccounts, Is.Zero);
            Assert.That(result.ToString(), Does.StartWith("Rejected"));
            Assert.That(dryRun.Succeeded, Is.False);
            Assert.That(dryRun.IsDryRun, Is.True);
            Assert.That(dryRun.Errors, Is.EquivalentTo(expected));
        });
        Assert.That(Snapshot(), Is.EqualTo(before));
    }

    [TestCase(10_001)]
    [TestCase(1_000_001)]
    public void UpdateSelected_MoreIdsThanMaxIdsPerUpdate_IsRejectedAsTooManyBeforeTouchingTheStore(int count)
    {
        var before = Snapshot();
        var writes = _engine.Store.RecordWrites;
        var ids = Enumerable.Repeat(1L, count).ToArray();

        var result = Run(_engine.Settings.UpdateAsync(Tenant, SettingsTarget.Selected(ids), Email));

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Errors, Is.EqualTo(new[] { new SettingsError(SettingsErrorCode.TooManyIds) }));
        Assert.That(result.Errors[0].Description, Does.Contain("more ids"));
        Assert.That(_engine.Store.RecordWrites, Is.EqualTo(writes));
        Assert.That(Snapshot(), Is.EqualTo(before));
    }

    [Test]
    public void UpdateSelected_ExactlyMaxIdsPerUpdate_IsAccepted()
    {
        var ids = Enumerable.Repeat(1L, 10_000).ToArray();

        var result = Run(_engine.Settings.UpdateAsync(Tenant, SettingsTarget.Selected(ids), Email));

        Assert.That(result.Succeeded, Is.True);
        Assert.That(result.ChangedAccounts, Is.EqualTo(1), "duplicates count once");
    }

    public static IEnumerable<TestCaseData> InvalidSettings()
    {
        yield return new TestCaseData(TwoFactorSetting.Allowed(FactorTypes.None), SettingsErrorCode.NoFactorTypes).SetArgDisplayNames("Allowed(None)");
        yield return new TestCaseData(TwoFactorSetting.Allowed((FactorTypes)4), SettingsErrorCode.UnknownFactorType).SetArgDisplayNames("Allowed(undefined bit)");
        yield return new TestCaseData(TwoFactorSetting.Allowed(FactorTypes.Email | (FactorTypes)(1 << 30)), SettingsErrorCode.UnknownFactorType).SetArgDisplayNames("Allowed(Email + undefined bit)");
        yield return new TestCaseData(TwoFactorSetting.Allowed((FactorTypes)int.MinValue), SettingsErrorCode.UnknownFactorType).SetArgDisplayNames("Allowed(sign bit)");
        yield return new TestCaseData(PolicyGen.DisallowedWithFactors(FactorTypes.Email), SettingsErrorCode.InvalidSetting).SetArgDisplayNames("Disallowed with Email bit");
    }

    [TestCaseSource(nameof(InvalidSettings))]
    public void EveryUpdate_InvalidSetting_IsRejectedWithItsCodeAndChangesNothing(TwoFactorSetting setting, SettingsErrorCode code)
    {
        var before = Snapshot();
        var writes = _engine.Store.RecordWrites;

        SettingsUpdateResult[] results =
        [
            Run(_engine.Settings.UpdateAsync(Tenant, SettingsTarget.All, setting)),
            Run(_engine.Settings.UpdateAsync(Tenant, SettingsTarget.All, setting, dryRun: true)),
            Run(_engine.Settings.UpdateAsync(Tenant, SettingsTarget.Selected(1, 2), setting)),
            Run(_engine.Settings.UpdateDefaultAsync(Tenant, setting)),
            Run(_engine.Settings.EnforceForEveryoneAsync(Tenant, setting)),
            Run(_engine.Settings.EnforceForEveryoneAsync(Tenant, setting, dryRun: true)),
        ];

        Assert.That(setting.IsValid, Is.False);
        Assert.That(setting.Validate(), Is.EqualTo(code));
        Assert.That(results, Has.All.Matches<SettingsUpdateResult>(r => !r.Succeeded && r.Errors.Count == 1 && r.Errors[0] == new SettingsError(code)));
        Assert.That(_engine.Store.RecordWrites, Is.EqualTo(writes));
        Assert.That(Snapshot(), Is.EqualTo(before));
    }

    [Test]
    public void UpdateSelected_InvalidSettingAndBadIds_NamesAllOfThem()
    {
        var result = Run(_engine.Settings.UpdateAsync(Tenant, SettingsTarget.Selected(0, 3, 99), TwoFactorSetting.Allowed(FactorTypes.None)));

        Assert.That(result.Errors, Is.EquivalentTo(new[]
        {
            new SettingsError(SettingsErrorCode.NoFactorTypes),
            new SettingsError(SettingsErrorCode.NonPositiveId, 0),
            new SettingsError(SettingsErrorCode.NotAnAccount, 3),
            new SettingsError(SettingsErrorCode.NotFound, 99),
        }));
        Assert.That(result.IsNotFound, Is.False, "invalid input is not a not-found answer");
    }

    [Test]
    public void UpdateSelected_OnlyUnknownIds_IsANotFoundAnswer()
    {
        var result = Run(_engine.Settings.UpdateAsync(Tenant, SettingsTarget.Selected(98, 3), Email));

        Assert.That(result.IsNotFound, Is.True);
        Assert.That(result.Errors.Select(e => e.Description), Is.EquivalentTo(new[]
        {
            "Account 98 was not found.",
            "Id 3 is a sub-user; sub-users follow their account and have no setting of their own.",
        }));
    }

    /// <summary>Everything observable about the tenant (and a neighbour), to compare before and after.</summary>
    private string Snapshot() =>
        string.Join(
            "|",
            _engine.Answers(Tenant).Select(a => $"{a.PrincipalId}:{a.Outcome}:{a.Factors}:{a.Reason}:{a.Explanation.SettingVersion}")
                .Concat(_engine.Reads(Tenant).Select(r => r.ToString()))
                .Append(_engine.ReadDefault(Tenant).ToString()));

    private static T Run<T>(ValueTask<T> pending) => TestEngine.Run(pending);
}
