using FsCheck;
using FsCheck.Fluent;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Tests.Policy;

namespace Navixy.TwoFactor.Tests.Settings;

/// <summary>
/// An engine and the reference model driven through the same history, so a law can ask the model what is
/// registered (accounts, demo flags, sub-users) and ask the engine what it answers.
/// </summary>
internal sealed class World : IDisposable
{
    public static readonly TenantId DefaultTenant = new(7);

    /// <summary>An id no generator registers: a fresh account for "new account" laws.</summary>
    public const long FreshId = PolicyGen.MaxPrincipalId + 1;

    /// <summary>Another id no generator registers.</summary>
    public const long OtherFreshId = PolicyGen.MaxPrincipalId + 2;

    public World(History history, TenantId? tenant = null)
    {
        Tenant = tenant ?? DefaultTenant;
        Engine = TestEngine.ForModel();
        Model = new ReferenceModel();
        Apply(history.Operations);
    }

    public TenantId Tenant { get; }

    public TestEngine Engine { get; }

    public ReferenceModel Model { get; }

    public IReadOnlyList<long> Accounts => Model.Accounts(Tenant);

    public IReadOnlyList<long> SubUsers => Model.SubUsers(Tenant);

    public bool IsDemo(long accountId) => Model.Tenant(Tenant).Accounts[accountId].IsDemo;

    public long AccountOf(long subUserId) => Model.Tenant(Tenant).SubUsers[subUserId];

    /// <summary>
    /// Applies to both. The laws take only the tenant's structure (which principals exist, demo flags, owners)
    /// from the model, so only a disagreement about a registration or removal stops the case; settings are
    /// judged by each law itself (and by the model-based test).
    /// </summary>
    public OpOutcome Apply(Operation operation) => Apply(Tenant, operation);

    public OpOutcome Apply(TenantId tenant, Operation operation)
    {
        var expected = Model.Apply(tenant, operation);
        var actual = Engine.Apply(tenant, operation);
        var structural = operation is RegisterAccount or RegisterSubUser or RemovePrincipal;
        return !structural || expected == actual
            ? actual
            : throw new InvalidOperationException($"{operation}: engine answered {actual}, model {expected}; the laws need both to agree on who is registered.");
    }

    public void Apply(IEnumerable<Operation> operations)
    {
        foreach (var operation in operations)
        {
            Apply(operation);
        }
    }

    /// <summary>
    /// A valid settings update on this world's accounts: <paramref name="kind"/> 0 all, 1 selected (picks mapped
    /// onto existing accounts; all when there are none), 2 default, 3 enforce for everyone.
    /// </summary>
    public Operation ValidUpdate(int kind, TwoFactorSetting setting, int[] picks, bool dryRun = false)
    {
        var accounts = Accounts;
        return kind switch
        {
            1 when accounts.Count > 0 && picks.Length > 0 =>
                new UpdateSelected([.. picks.Select(p => accounts[p % accounts.Count])], setting, dryRun),
            2 => new UpdateDefault(setting, dryRun),
            3 => new EnforceForEveryone(setting, dryRun),
            _ => new UpdateAll(setting, dryRun),
        };
    }

    public void Dispose() => Engine.Dispose();
}

/// <summary>Arbitraries shared by the law properties.</summary>
internal static class LawArbs
{
    public static Arbitrary<History> Histories => OperationGen.HistoryArb;

    public static Arbitrary<TwoFactorSetting> ValidSetting => Arb.From(PolicyGen.ValidSetting);

    public static Arbitrary<int[]> Picks => Arb.From(Gen.Choose(1, 5).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 1000), n)));

    /// <summary>A valid update: (kind 0..3, setting, picks).</summary>
    public static Arbitrary<(int Kind, TwoFactorSetting Setting, int[] Picks)> ValidUpdateSpec => Arb.From(
        from kind in Gen.Frequency((2, Gen.Constant(0)), (4, Gen.Constant(1)), (1, Gen.Constant(2)), (1, Gen.Constant(3)))
        from setting in PolicyGen.ValidSetting
        from picks in Picks.Generator
        select (kind, setting, picks));

    public static Property Check(string? failure) => failure is null ? true.ToProperty() : false.Label(failure);
}
