using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores.InMemory;

namespace Navixy.TwoFactor.Benchmarks;

/// <summary>
/// Resolving one principal in a tenant of 1,000 and of 1,000,000 accounts, against the floor: the same lookups
/// done with two plain <see cref="Dictionary{TKey, TValue}"/> hits (principal → account, account → setting) over
/// as many records. Goal: ≤ 1.5× the baseline, 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class ResolveBenchmarks
{
    private PolicyFixture _fixture = null!;
    private Dictionary<long, long> _principalToAccount = null!;
    private Dictionary<long, TwoFactorSetting> _accountSettings = null!;
    private InMemoryPolicyStore _store = null!;
    private ITwoFactorImmediateResolver _immediate = null!;
    private PrincipalPolicy _snapshot;
    private long _account;
    private long _demo;
    private long _subUser;

    /// <summary>Accounts in the tenant; every tenth has a sub-user, every hundredth is a demo account.</summary>
    [Params(1_000, 1_000_000)]
    public int Accounts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new PolicyFixture(Accounts);
        _account = (Accounts / 2) + 1;
        _demo = Accounts / 2;
        _subUser = PolicyFixture.SubUserOf(_account);
        _store = _fixture.Provider.GetRequiredService<InMemoryPolicyStore>();
        _immediate = _fixture.Provider.GetRequiredService<ITwoFactorImmediateResolver>();
        _snapshot = _store.Find(PolicyFixture.Tenant, _account);
        _principalToAccount = new Dictionary<long, long>(Accounts + (Accounts / 10));
        _accountSettings = new Dictionary<long, TwoFactorSetting>(Accounts);
        for (long id = 1; id <= Accounts; id++)
        {
            _principalToAccount[id] = id;
            _accountSettings[id] = TwoFactorSetting.Allowed(FactorTypes.Email);
            if (id % 10 == 1)
            {
                _principalToAccount[PolicyFixture.SubUserOf(id)] = id;
            }
        }
    }

    [Benchmark(Baseline = true, Description = "Baseline: two Dictionary<long, T> hits")]
    public bool Baseline_TwoDictionaryHits() =>
        _principalToAccount.TryGetValue(_subUser, out var account) && _accountSettings.TryGetValue(account, out var setting) && setting.IsAllowed;

    [Benchmark(Description = "Resolve account")]
    public RequirementOutcome Resolve_Account() => _fixture.Resolver.ResolveAsync(PolicyFixture.Tenant, _account).Wait().Outcome;

    [Benchmark(Description = "Resolve sub-user")]
    public RequirementOutcome Resolve_SubUser() => _fixture.Resolver.ResolveAsync(PolicyFixture.Tenant, _subUser).Wait().Outcome;

    [Benchmark(Description = "Resolve demo account")]
    public RequirementOutcome Resolve_Demo() => _fixture.Resolver.ResolveAsync(PolicyFixture.Tenant, _demo).Wait().Outcome;

    [Benchmark(Description = "Resolve account at once (ITwoFactorImmediateResolver)")]
    public RequirementOutcome TryResolve_Account() => _immediate.TryResolve(PolicyFixture.Tenant, _account, out var answer) ? answer.Outcome : Fail();

    [Benchmark(Description = "Resolve sub-user at once")]
    public RequirementOutcome TryResolve_SubUser() => _immediate.TryResolve(PolicyFixture.Tenant, _subUser, out var answer) ? answer.Outcome : Fail();

    [Benchmark(Description = "Resolve demo account at once")]
    public RequirementOutcome TryResolve_Demo() => _immediate.TryResolve(PolicyFixture.Tenant, _demo, out var answer) ? answer.Outcome : Fail();

    [Benchmark(Description = "(reference) store read only: account snapshot")]
    public PrincipalKind Reference_StoreRead() => _store.Find(PolicyFixture.Tenant, _account).Kind;

    [Benchmark(Description = "(reference) pure resolver only, on a read snapshot")]
    public RequirementOutcome Reference_PureResolver() => TwoFactorResolver.Resolve(_snapshot).Outcome;

    private static RequirementOutcome Fail() => throw new InvalidOperationException("The in-memory resolver answers at once.");
}
