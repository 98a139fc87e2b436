using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Tests.Policy;

namespace Navixy.TwoFactor.Tests.Settings;

/// <summary>One call of the public API, as a value a generator can produce and a counterexample can print.</summary>
public abstract record Operation;

public sealed record RegisterAccount(long Id, AccountOrigin Origin, bool IsDemo) : Operation
{
    public override string ToString() => $"RegisterAccount({Id}, {Origin}{(IsDemo ? ", demo" : "")})";
}

public sealed record RegisterSubUser(long Id, long AccountId) : Operation
{
    public override string ToString() => $"RegisterSubUser({Id} of {AccountId})";
}

public sealed record RemovePrincipal(long Id) : Operation
{
    public override string ToString() => $"Remove({Id})";
}

public sealed record UpdateAll(TwoFactorSetting Setting, bool DryRun) : Operation
{
    public override string ToString() => $"UpdateAll({Setting}{(DryRun ? ", dry run" : "")})";
}

public sealed record UpdateSelected(long[] Ids, TwoFactorSetting Setting, bool DryRun) : Operation
{
    public override string ToString() =>
        $"UpdateSelected([{string.Join(",", Ids.Select(i => i.ToString(CultureInfo.InvariantCulture)))}], {Setting}{(DryRun ? ", dry run" : "")})";
}

public sealed record UpdateDefault(TwoFactorSetting Setting, bool DryRun) : Operation
{
    public override string ToString() => $"UpdateDefault({Setting}{(DryRun ? ", dry run" : "")})";
}

public sealed record EnforceForEveryone(TwoFactorSetting Setting, bool DryRun) : Operation
{
    public override string ToString() => $"EnforceForEveryone({Setting}{(DryRun ? ", dry run" : "")})";
}

/// <summary>A settings operation given a moment <paramref name="OffsetMinutes"/> from now (S11): later ones are scheduled, the others apply at once.</summary>
public sealed record Scheduled(Operation Inner, int OffsetMinutes) : Operation
{
    public override string ToString() => $"{Inner} at now{OffsetMinutes:+0;-0;+0}m";
}

/// <summary>The clock moves on (scheduled changes whose moment comes apply).</summary>
public sealed record AdvanceTime(int Minutes) : Operation
{
    public override string ToString() => $"Advance({Minutes}m)";
}

/// <summary>Cancels the pending change at position <paramref name="Pick"/> (modulo their number) of the tenant's listing; nothing pending answers not found.</summary>
public sealed record CancelScheduled(int Pick) : Operation
{
    public override string ToString() => $"Cancel(#{Pick})";
}

/// <summary>An operation addressed to one of several tenants (by index), for histories that span tenants.</summary>
public sealed record TenantStep(int Tenant, Operation Operation)
{
    public override string ToString() => $"T{Tenant}:{Operation}";
}

/// <summary>A sequence of operations on one tenant, registering a population first.</summary>
public sealed record History(Operation[] Operations)
{
    public override string ToString() => "[" + string.Join("; ", Operations.Select(o => o.ToString())) + "]";
}

/// <summary>A sequence of steps over two tenants.</summary>
public sealed record TwoTenantHistory(TenantId A, TenantId B, TenantStep[] Steps)
{
    public override string ToString() => $"A={A.Value} B={B.Value} [" + string.Join("; ", Steps.Select(s => s.ToString())) + "]";
}

/// <summary>
/// Generators of operations and operation sequences: registrations of accounts (created or imported, demo or
/// not) and sub-users, removals, update-all, update-selected with valid and invalid id lists (unknown, foreign,
/// sub-user, non-positive, empty, too long), default updates, enforce-for-everyone, each sometimes a dry run.
/// </summary>
public static class OperationGen
{
    /// <summary>The MaxIdsPerUpdate the model-based tests configure, small so that over-long lists are generated.</summary>
    public const int MaxIdsPerUpdate = 6;

    public static Gen<Operation> RegisterAccount =>
        from id in PolicyGen.AnyId
        from origin in PolicyGen.Origin
        from demo in PolicyGen.Demo
        select (Operation)new RegisterAccount(id, origin, demo);

    public static Gen<Operation> RegisterSubUser =>
        from id in PolicyGen.AnyId
        from account in PolicyGen.AnyId
        select (Operation)new RegisterSubUser(id, account);

    public static Gen<Operation> Remove => PolicyGen.AnyId.Select(id => (Operation)new RemovePrincipal(id));

    public static Gen<Operation> UpdateAll =>
        from setting in PolicyGen.AnySetting
        from dryRun in PolicyGen.DryRun
        select (Operation)new UpdateAll(setting, dryRun);

    /// <summary>Id lists: mostly plausible ones, sometimes with hostile ids, empty, or longer than allowed.</summary>
    public static Gen<long[]> IdList =>
        Gen.Frequency(
            (10, Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(PolicyGen.PrincipalId, n))),
            (2, Gen.Choose(1, 5).SelectMany(n => Gen.ArrayOf(PolicyGen.AnyId, n))),
            (1, Gen.Constant(Array.Empty<long>())),
            (1, Gen.Choose(MaxIdsPerUpdate + 1, MaxIdsPerUpdate + 3).SelectMany(n => Gen.ArrayOf(PolicyGen.PrincipalId, n))));

    public static Gen<Operation> UpdateSelected =>
        from ids in IdList
        from setting in PolicyGen.AnySetting
        from dryRun in PolicyGen.DryRun
        select (Operation)new UpdateSelected(ids, setting, dryRun);

    public static Gen<Operation> UpdateDefault =>
        from setting in PolicyGen.AnySetting
        from dryRun in PolicyGen.DryRun
        select (Operation)new UpdateDefault(setting, dryRun);

    public static Gen<Operation> Enforce =>
        from setting in PolicyGen.AnySetting
        from dryRun in PolicyGen.DryRun
        select (Operation)new EnforceForEveryone(setting, dryRun);

    /// <summary>
    /// A settings operation (valid or not, sometimes a dry run) with a moment: mostly 1 to 3 minutes ahead, so that equal
    /// moments are common, sometimes now or a minute ago (applied at once).
    /// </summary>
    public static Gen<Operation> Schedule =>
        from inner in Gen.Frequency((2, UpdateAll), (3, UpdateSelected), (2, UpdateDefault), (2, Enforce))
        from offset in Gen.Frequency((1, Gen.Constant(-1)), (1, Gen.Constant(0)), (6, Gen.Choose(1, 3)))
        select (Operation)new Scheduled(inner, offset);

    public static Gen<Operation> Advance => Gen.Choose(0, 2).Select(m => (Operation)new AdvanceTime(m));

    public static Gen<Operation> Cancel => Gen.Choose(0, 5).Select(p => (Operation)new CancelScheduled(p));

    /// <summary>Any operation, registrations weighted up so that tenants fill.</summary>
    public static Gen<Operation> Any =>
        Gen.Frequency(
            (5, RegisterAccount),
            (4, RegisterSubUser),
            (1, Remove),
            (2, UpdateAll),
            (5, UpdateSelected),
            (2, UpdateDefault),
            (1, Enforce),
            (3, Schedule),
            (2, Advance),
            (1, Cancel));

    /// <summary>A valid update of settings (all, selected existing-or-not ids, default, enforce), never a dry run.</summary>
    public static Gen<Operation> SettingsUpdate =>
        Gen.Frequency(
            (2, PolicyGen.ValidSetting.Select(s => (Operation)new UpdateAll(s, false))),
            (4, from n in Gen.Choose(1, 4)
                from ids in Gen.ArrayOf(PolicyGen.PrincipalId, n)
                from s in PolicyGen.ValidSetting
                select (Operation)new UpdateSelected(ids, s, false)),
            (1, PolicyGen.ValidSetting.Select(s => (Operation)new UpdateDefault(s, false))),
            (1, PolicyGen.ValidSetting.Select(s => (Operation)new EnforceForEveryone(s, false))));

    /// <summary>Registrations of accounts, then of sub-users of those accounts (ids may collide; collisions are refused).</summary>
    public static Gen<Operation[]> Population =>
        from accounts in Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(RegisterAccount, n))
        from subUsers in SubUsersOf(accounts)
        select (Operation[])[.. accounts, .. subUsers];

    /// <summary>A population followed by any operations.</summary>
    public static Gen<History> History =>
        from population in Population
        from rest in Gen.Choose(0, 25).SelectMany(n => Gen.ArrayOf(Any, n))
        select new History([.. population, .. rest]);

    /// <summary>Sub-user registrations whose accounts are among the given registrations (ids may still collide).</summary>
    public static Gen<Operation[]> SubUsersOf(Operation[] accountRegistrations)
    {
        var owners = accountRegistrations.OfType<RegisterAccount>().Select(a => a.Id).Where(id => id > 0).ToArray();
        return owners.Length == 0
            ? Gen.Constant(Array.Empty<Operation>())
            : Gen.Choose(0, 8).SelectMany(n => Gen.ArrayOf(
                from id in PolicyGen.PrincipalId
                from owner in Gen.Elements(owners)
                select (Operation)new RegisterSubUser(id, owner),
                n));
    }

    public static Arbitrary<History> HistoryArb => Arb.From(History, h => ShrinkArray(h.Operations).Select(o => new History(o)));

    public static Gen<TwoTenantHistory> TwoTenantHistory(int maxSteps) =>
        from tenants in PolicyGen.TwoTenants
        from populationA in Population
        from populationB in Population
        from steps in Gen.Choose(0, maxSteps).SelectMany(n => Gen.ArrayOf(Gen.Zip(Gen.Choose(0, 1), Any, (t, o) => new TenantStep(t, o)), n))
        select new TwoTenantHistory(
            tenants.A,
            tenants.B,
            [.. populationA.Select(o => new TenantStep(0, o)), .. populationB.Select(o => new TenantStep(1, o)), .. steps]);

    public static Arbitrary<TwoTenantHistory> TwoTenantHistoryArb(int maxSteps) =>
        Arb.From(TwoTenantHistory(maxSteps), h => ShrinkArray(h.Steps).Select(s => h with { Steps = s }));

    /// <summary>Shrinks a sequence by dropping halves, then single elements, so counterexamples come out short.</summary>
    public static IEnumerable<T[]> ShrinkArray<T>(T[] items)
    {
        if (items.Length == 0)
        {
            yield break;
        }

        if (items.Length > 1)
        {
            yield return items[..(items.Length / 2)];
            yield return items[(items.Length / 2)..];
        }

        for (var i = items.Length - 1; i >= 0; i--)
        {
            yield return [.. items[..i], .. items[(i + 1)..]];
        }
    }
}
