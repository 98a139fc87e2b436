using BenchmarkDotNet.Attributes;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Benchmarks;

/// <summary>Resolving all 1,000,000 accounts one by one, against a full pass over a plain dictionary. Goal: ≤ 1.5×.</summary>
[MemoryDiagnoser]
public class ResolveAllBenchmarks
{
    private const int Accounts = 1_000_000;

    private PolicyFixture _fixture = null!;
    private Dictionary<long, TwoFactorSetting> _accountSettings = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new PolicyFixture(Accounts);
        _accountSettings = new Dictionary<long, TwoFactorSetting>(Accounts);
        for (long id = 1; id <= Accounts; id++)
        {
            _accountSettings[id] = TwoFactorSetting.Allowed(FactorTypes.Email);
        }
    }

    [Benchmark(Baseline = true, Description = "Baseline: dictionary lookup of every account")]
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

    [Benchmark(Description = "Resolve every account")]
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
}
