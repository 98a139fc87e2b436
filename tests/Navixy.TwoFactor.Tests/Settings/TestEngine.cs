using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Stores.InMemory;
using Navixy.TwoFactor.Tests.Policy;

namespace Navixy.TwoFactor.Tests.Settings;

/// <summary>What a principal's answer says, without the version stamp (which differs between equivalent histories).</summary>
public readonly record struct Observed(
    RequirementOutcome Outcome,
    FactorTypes Factors,
    NotRequiredReason Reason,
    PolicyRule Rule,
    PrincipalKind Kind,
    long AccountId,
    SettingSource Source)
{
    public static Observed From(in Requirement answer) => new(
        answer.Outcome,
        answer.Factors,
        answer.Reason,
        answer.Explanation.Rule,
        answer.Explanation.PrincipalKind,
        answer.Explanation.AccountId,
        answer.Explanation.Source);
}

/// <summary>The result of one operation, in one shape for directory and settings operations, so engine and model compare.</summary>
public sealed record OpOutcome(bool Succeeded, DirectoryErrorCode DirectoryError, long Affected, bool IsDryRun, long ChangedAccounts, string Errors)
{
    public static OpOutcome From(DirectoryResult result) =>
        new(result.Succeeded, result.Error, result.Affected, false, 0, "");

    public static OpOutcome From(SettingsUpdateResult result) =>
        new(result.Succeeded, DirectoryErrorCode.None, 0, result.IsDryRun, result.ChangedAccounts, ErrorsKey(result.Errors));

    public static string ErrorsKey(IEnumerable<SettingsError> errors) =>
        string.Join(" ", errors
            .Select(e => e.Id is { } id ? $"{e.Code}({id.ToString(CultureInfo.InvariantCulture)})" : e.Code.ToString())
            .Order(StringComparer.Ordinal));
}

/// <summary>
/// The engine as a host gets it, <c>new ServiceCollection().AddNavixyTwoFactor()</c>, with synchronous helpers:
/// the in-memory store completes every call synchronously.
/// </summary>
public sealed class TestEngine : IDisposable
{
    private readonly ServiceProvider _provider;

    /// <summary>When every test engine's clock (and the reference model's) starts.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public TestEngine(Action<TwoFactorOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddNavixyTwoFactor(configure);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Directory = _provider.GetRequiredService<ITwoFactorDirectory>();
        Settings = _provider.GetRequiredService<ITwoFactorSettings>();
        Resolver = _provider.GetRequiredService<ITwoFactorResolver>();
        BulkResolver = _provider.GetRequiredService<ITwoFactorBulkResolver>();
        ImmediateResolver = _provider.GetRequiredService<ITwoFactorImmediateResolver>();
        Store = _provider.GetRequiredService<InMemoryPolicyStore>();
    }

    /// <summary>An engine with the small MaxIdsPerUpdate the generators exceed on purpose.</summary>
    public static TestEngine ForModel() => new(o => o.MaxIdsPerUpdate = OperationGen.MaxIdsPerUpdate);

    /// <summary>The engine's clock; tests move it on.</summary>
    public FakeTimeProvider Time { get; } = new(Start);

    public ITwoFactorDirectory Directory { get; }

    public ITwoFactorSettings Settings { get; }

    public ITwoFactorResolver Resolver { get; }

    public ITwoFactorBulkResolver BulkResolver { get; }

    public ITwoFactorImmediateResolver ImmediateResolver { get; }

    internal InMemoryPolicyStore Store { get; }

    public static T Run<T>(ValueTask<T> pending) =>
        pending.IsCompleted ? pending.GetAwaiter().GetResult() : pending.AsTask().GetAwaiter().GetResult();

    public OpOutcome Apply(TenantId tenant, Operation operation) => operation switch
    {
        AdvanceTime a => Advanced(a.Minutes),
        Scheduled s => OpOutcome.From(Update(tenant, s.Inner, Time.GetUtcNow().AddMinutes(s.OffsetMinutes))),
        CancelScheduled c => Cancel(tenant, c.Pick),
        RegisterAccount r => OpOutcome.From(Run(Directory.RegisterAccountAsync(tenant, r.Id, r.Origin, r.IsDemo))),
        RegisterSubUser s => OpOutcome.From(Run(Directory.RegisterSubUserAsync(tenant, s.Id, s.AccountId))),
        RemovePrincipal r => OpOutcome.From(Run(Directory.RemoveAsync(tenant, r.Id))),
        UpdateAll u => OpOutcome.From(Run(Settings.UpdateAsync(tenant, SettingsTarget.All, u.Setting, u.DryRun))),
        UpdateSelected u => OpOutcome.From(Run(Settings.UpdateAsync(tenant, SettingsTarget.Selected(u.Ids), u.Setting, u.DryRun))),
        UpdateDefault u => OpOutcome.From(Run(Settings.UpdateDefaultAsync(tenant, u.Setting, u.DryRun))),
        EnforceForEveryone e => OpOutcome.From(Run(Settings.EnforceForEveryoneAsync(tenant, e.Setting, e.DryRun))),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown operation."),
    };

    public SettingsUpdateResult Update(TenantId tenant, Operation operation, DateTimeOffset? effectiveFrom = null) => operation switch
    {
        UpdateAll u => Run(Settings.UpdateAsync(tenant, SettingsTarget.All, u.Setting, u.DryRun, effectiveFrom)),
        UpdateSelected u => Run(Settings.UpdateAsync(tenant, SettingsTarget.Selected(u.Ids), u.Setting, u.DryRun, effectiveFrom)),
        UpdateDefault u => Run(Settings.UpdateDefaultAsync(tenant, u.Setting, u.DryRun, effectiveFrom)),
        EnforceForEveryone e => Run(Settings.EnforceForEveryoneAsync(tenant, e.Setting, e.DryRun, effectiveFrom)),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Not a settings update."),
    };

    /// <summary>The tenant's pending changes as the engine lists them.</summary>
    public IReadOnlyList<ScheduledChange> Scheduled(TenantId tenant) => Run(Settings.ListScheduledAsync(tenant)) ?? throw new InvalidOperationException("a store failed");

    private OpOutcome Advanced(int minutes)
    {
        Time.Advance(TimeSpan.FromMinutes(minutes));
        return new OpOutcome(true, DirectoryErrorCode.None, 0, false, 0, "");
    }

    /// <summary>Cancels the listed change at <paramref name="pick"/>; the answer's error names no id (the model's ids are not the engine's).</summary>
    private OpOutcome Cancel(TenantId tenant, int pick)
    {
        var pending = Scheduled(tenant);
        var result = Run(Settings.CancelScheduledAsync(tenant, pending.Count == 0 ? long.MaxValue : pending[pick % pending.Count].Id));
        return new OpOutcome(result.Succeeded, DirectoryErrorCode.None, 0, false, 0, string.Join(" ", result.Errors.Select(e => e.Code)));
    }

    public void ApplyAll(TenantId tenant, IEnumerable<Operation> operations)
    {
        foreach (var operation in operations)
        {
            Apply(tenant, operation);
        }
    }

    public Requirement Resolve(TenantId tenant, long principalId) => Run(Resolver.ResolveAsync(tenant, principalId));

    public AccountSettingResult Read(TenantId tenant, long accountId) => Run(Settings.ReadAsync(tenant, accountId));

    public TwoFactorSetting ReadDefault(TenantId tenant) => Run(Settings.ReadDefaultAsync(tenant)) ?? throw new InvalidOperationException("a store failed");

    /// <summary>Every observed id's full answer, version stamps included.</summary>
    public Requirement[] Answers(TenantId tenant) => [.. PolicyGen.ObservedIds.Select(id => Resolve(tenant, id))];

    /// <summary>Every observed id's answer without version stamps.</summary>
    public Observed[] ObservedAnswers(TenantId tenant) => [.. PolicyGen.ObservedIds.Select(id => Observed.From(Resolve(tenant, id)))];

    /// <summary>Every observed id's read setting.</summary>
    public AccountSettingResult[] Reads(TenantId tenant) => [.. PolicyGen.ObservedIds.Select(id => Read(tenant, id))];

    public void Dispose() => _provider.Dispose();
}
