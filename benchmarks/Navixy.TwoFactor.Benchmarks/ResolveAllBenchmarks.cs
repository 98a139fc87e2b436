using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using System.Runtime.Intrinsics.X86;
using Navixy.TwoFactor.Stores.InMemory;

namespace Navixy.TwoFactor.Benchmarks;

/// <summary>
/// Resolving a whole tenant of 1,000,000 accounts (and their 100,000 sub-users), and of 1,000 for comparison (a
/// table that fits in the CPU caches against one that does not: the difference is what memory access costs). Two comparisons, each with its own
/// same-run baseline. "Ids": every account by id, one by one and in pages of 1,024 through the bulk resolver, against a
/// dictionary lookup of every account. "Tenant": every principal streamed by the bulk resolver, against one pass over
/// a dictionary of every principal (principal → account, then the account's setting). Goal: ≤ 1.5×.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ResolveAllBenchmarks
{
    private const int Page = 1_024;

    private PolicyFixture _fixture = null!;
    private ITwoFactorBulkResolver _bulk = null!;
    private Dictionary<long, TwoFactorSetting> _accountSettings = null!;
    private Dictionary<long, long> _principalToAccount = null!;
    private long[] _ids = [];
    private long[] _idsInTableOrder = [];
    private InMemoryPolicyStore _store = null!;
    private Requirement[] _answers = [];

    /// <summary>Accounts in the tenant; every tenth has a sub-user, every hundredth is a demo account.</summary>
    [Params(1_000, 1_000_000)]
    public int Accounts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new PolicyFixture(Accounts);
        _bulk = _fixture.Provider.GetRequiredService<ITwoFactorBulkResolver>();
        _accountSettings = new Dictionary<long, TwoFactorSetting>(Accounts);
        _principalToAccount = new Dictionary<long, long>(Accounts + (Accounts / 10));
        for (long id = 1; id <= Accounts; id++)
        {
            _accountSettings[id] = TwoFactorSetting.Allowed(FactorTypes.Email);
            _principalToAccount[id] = id;
            if (id % 10 == 1)
            {
                _principalToAccount[PolicyFixture.SubUserOf(id)] = id;
            }
        }

        _ids = [.. Enumerable.Range(1, Accounts).Select(i => (long)i)];
        _store = _fixture.Provider.GetRequiredService<InMemoryPolicyStore>();
        var mask = _store.SlotsOf(PolicyFixture.Tenant).Length - 1;
        _idsInTableOrder = [.. _ids.OrderBy(id => TableHash.Home(id, mask))];
        _answers = new Requirement[Page];
    }

    [BenchmarkCategory("Ids"), Benchmark(Baseline = true, Description = "Baseline: dictionary lookup of every account")]
    public int Baseline_DictionaryPass()
    {
        var required = 0;
        for (long id = 1; id <= Accounts; id++)
        {
            if (_accountSettings.TryGetValue(id, out var setting) && setting.IsAllowed)
            {
                required++;
            }
        }

        return required;
    }

    [BenchmarkCategory("Ids"), Benchmark(Description = "Resolve every account, one by one")]
    public int ResolveAll()
    {
        var required = 0;
        for (long id = 1; id <= Accounts; id++)
        {
            if (_fixture.Resolver.ResolveAsync(PolicyFixture.Tenant, id).Wait().Outcome == RequirementOutcome.Required)
            {
                required++;
            }
        }

        return required;
    }

    [BenchmarkCategory("Ids"), Benchmark(Description = "Resolve every account, pages of 1,024 ids (bulk)")]
    public int ResolveMany() => ResolvePages(_ids);

    [BenchmarkCategory("Ids"), Benchmark(Description = "(reference) the same pages, ids in table order")]
    public int ResolveManyInTableOrder() => ResolvePages(_idsInTableOrder);

    /// <summary>
    /// What <c>ResolveManyAsync</c> does for the pages (the table read and the pure resolver into the page, then the count),
    /// with the slot of the id 16 places ahead prefetched: an experiment for the doc, not the library's code.
    /// </summary>
    [BenchmarkCategory("Ids"), Benchmark(Description = "(experiment) the same pages, each slot prefetched 16 ids ahead")]
    public unsafe int ResolveManyPrefetched()
    {
        const int ahead = 16;
        var required = 0;
        var slots = _store.SlotsOf(PolicyFixture.Tenant);
        var mask = slots.Length - 1;
        var policy = _store.PolicyOf(PolicyFixture.Tenant);
        var at = DateTimeOffset.UtcNow;
        fixed (PrincipalTable.Slot* first = slots)
        {
            for (var start = 0; start < _ids.Length; start += Page)
            {
                var count = Math.Min(Page, _ids.Length - start);
                for (var i = 0; i < count; i++)
                {
                    if (start + i + ahead < _ids.Length)
                    {
                        Sse.Prefetch0(first + TableHash.Home(_ids[start + i + ahead], mask));
                    }

                    _answers[i] = InMemoryPolicyStore.TenantData.Resolve(slots, _ids[start + i], policy, at);
                }

                foreach (var answer in _answers.AsSpan(0, count))
                {
                    if (answer.Outcome == RequirementOutcome.Required)
                    {
                        required++;
                    }
                }
            }
        }

        return required;
    }

    private int ResolvePages(long[] all)
    {
        var required = 0;
        for (var start = 0; start < all.Length; start += Page)
        {
            var ids = all.AsMemory(start, Math.Min(Page, all.Length - start));
            _bulk.ResolveManyAsync(PolicyFixture.Tenant, ids, _answers).Wait();
            foreach (var answer in _answers.AsSpan(0, ids.Length))
            {
                if (answer.Outcome == RequirementOutcome.Required)
                {
                    required++;
                }
            }
        }

        return required;
    }

    [BenchmarkCategory("Tenant"), Benchmark(Baseline = true, Description = "Baseline: one pass over a dictionary of every principal")]
    public int Baseline_PrincipalDictionaryPass()
    {
        var required = 0;
        foreach (var (_, account) in _principalToAccount)
        {
            if (_accountSettings.TryGetValue(account, out var setting) && setting.IsAllowed)
            {
                required++;
            }
        }

        return required;
    }

    /// <summary>The stream's walk alone: every slot of the table read consistently, the live ones counted (where the time goes).</summary>
    [BenchmarkCategory("Tenant"), Benchmark(Description = "(reference) the walk alone: every slot read, live ones counted")]
    public int Reference_WalkOnly()
    {
        var live = 0;
        var slots = _store.SlotsOf(PolicyFixture.Tenant);
        for (var i = 0; i < slots.Length; i++)
        {
            if (PrincipalTable.TryRead(ref slots[i], out _, out _))
            {
                live++;
            }
        }

        return live;
    }

    /// <summary>
    /// The walk and the resolve of each live slot, counting the required ones without writing a page (where the time goes):
    /// only the outcome is read, so after inlining the JIT computes that and not the rest of the 40-byte answer.
    /// </summary>
    [BenchmarkCategory("Tenant"), Benchmark(Description = "(reference) the walk and each resolve's outcome, no answer kept")]
    public int Reference_WalkAndResolve()
    {
        var required = 0;
        var slots = _store.SlotsOf(PolicyFixture.Tenant);
        var policy = _store.PolicyOf(PolicyFixture.Tenant);
        var at = DateTimeOffset.UtcNow;
        for (var i = 0; i < slots.Length; i++)
        {
            if (PrincipalTable.TryRead(ref slots[i], out var id, out var entry)
                && InMemoryPolicyStore.TenantData.Resolve(slots, id, entry, policy, at).Outcome == RequirementOutcome.Required)
            {
                required++;
            }
        }

        return required;
    }

    [BenchmarkCategory("Tenant"), Benchmark(Description = "Resolve every principal, tenant streamed (bulk)")]
    public int ResolveTenant()
    {
        var required = 0;
        var pages = _bulk.ResolveTenantAsync(PolicyFixture.Tenant, Page).GetAsyncEnumerator();
        while (pages.MoveNextAsync().AsTask().GetAwaiter().GetResult())
        {
            foreach (var answer in pages.Current.Span)
            {
                if (answer.Outcome == RequirementOutcome.Required)
                {
                    required++;
                }
            }
        }

        pages.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return required;
    }
}
