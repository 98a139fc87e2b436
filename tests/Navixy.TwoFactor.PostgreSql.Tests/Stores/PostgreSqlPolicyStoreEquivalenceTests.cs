using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Settings;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// The PostgreSQL store gives exactly the in-memory store's answers: the same random operation sequence runs
/// through the public services over both, and every answer (version stamps, changed-account counts, error codes
/// and their order, explanations) must be equal, as must every principal's resolution afterwards.
/// </summary>
public sealed class PostgreSqlPolicyStoreEquivalenceTests : PostgreSqlFixture
{
    private TestNode? _node;

    [SetUp]
    public void ForgetNode() => _node = null;

    [FsCheck.NUnit.Property(MaxTest = 60, Arbitrary = [typeof(OperationArbitrary)])]
    public void AnyOperationSequence_AnswersAsTheInMemoryStore(Operation[] operations)
    {
        _node ??= StartNode("equivalence");
        RunAsync(_node, operations).GetAwaiter().GetResult();
    }

    [Test]
    public async Task MixedHistory_AnswersAsTheInMemoryStore()
    {
        // A fixed history touching every path: defaults, update-all over individual updates and back, demo
        // accounts, sub-users following and losing their account, rejected and dry-run updates.
        Operation[] operations =
        [
            new(OperationKind.UpdateDefault, Setting: 1),
            new(OperationKind.RegisterAccount, Id: 1),
            new(OperationKind.RegisterAccount, Id: 2, Demo: true),
            new(OperationKind.RegisterAccount, Id: 3, Other: 1),
            new(OperationKind.RegisterSubUser, Id: 4, Other: 1),
            new(OperationKind.RegisterSubUser, Id: 5, Other: 4),
            new(OperationKind.UpdateSelected, Setting: 3, Ids: [3, 4, 9]),
            new(OperationKind.UpdateSelected, Setting: 2, Ids: [3, 1]),
            new(OperationKind.UpdateAll, Setting: 0, DryRun: true),
            new(OperationKind.UpdateAll, Setting: 0),
            new(OperationKind.UpdateSelected, Setting: 1, Ids: [2, 3]),
            new(OperationKind.EnforceForEveryone, Setting: 3),
            new(OperationKind.RegisterAccount, Id: 6),
            new(OperationKind.UpdateSelected, Setting: 3, Ids: [6], DryRun: true),
            new(OperationKind.UpdateSelected, Setting: 2, Ids: [6]),
            new(OperationKind.Remove, Id: 1),
            new(OperationKind.Remove, Id: 4),
            new(OperationKind.Remove, Id: 6),
            new(OperationKind.UpdateAll, Setting: 2),
        ];

        await RunAsync(StartNode("equivalence"), operations);
    }

    private static async Task RunAsync(TestNode node, Operation[] operations)
    {
        var tenant = NewTenant();
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor();
        await using var memory = services.BuildServiceProvider();
        var expected = new Engine(memory.GetRequiredService<ITwoFactorSettings>(), memory.GetRequiredService<ITwoFactorDirectory>(), memory.GetRequiredService<Resolution.ITwoFactorResolver>());
        var actual = new Engine(node.Settings, node.Directory, node.Resolver);

        for (var step = 0; step < operations.Length; step++)
        {
            var operation = operations[step];
            Assert.That(await actual.ApplyAsync(tenant, operation), Is.EqualTo(await expected.ApplyAsync(tenant, operation)), $"step {step}: {operation}");
        }

        // Every principal resolves the same, and the tenant-wide counts agree (a dry-run update-all reads them).
        for (long id = -1; id <= Operation.MaxId + 1; id++)
        {
            var read = new Operation(OperationKind.Read, Id: id);
            Assert.That(await actual.ApplyAsync(tenant, read), Is.EqualTo(await expected.ApplyAsync(tenant, read)), $"final {read}");
        }

        for (var setting = 0; setting < Operation.Settings.Length; setting++)
        {
            var count = new Operation(OperationKind.UpdateAll, Setting: setting, DryRun: true);
            Assert.That(await actual.ApplyAsync(tenant, count), Is.EqualTo(await expected.ApplyAsync(tenant, count)), $"final {count}");
        }
    }

    public enum OperationKind
    {
        RegisterAccount,
        RegisterSubUser,
        Remove,
        UpdateSelected,
        UpdateAll,
        UpdateDefault,
        EnforceForEveryone,
        Read,
    }

    /// <summary>One call on the public services; fields a kind does not use are ignored.</summary>
    public sealed record Operation(OperationKind Kind, long Id = 0, long Other = 0, int Setting = 0, bool DryRun = false, bool Demo = false, long[]? Ids = null)
    {
        public const long MaxId = 7;

        /// <summary>The settings operations pick from; the last is invalid, so that the engine rejects it.</summary>
        public static readonly TwoFactorSetting[] Settings =
        [
            TwoFactorSetting.Disallowed,
            TwoFactorSetting.Allowed(FactorTypes.Email),
            TwoFactorSetting.Allowed(FactorTypes.Totp),
            TwoFactorSetting.Allowed(FactorTypes.Email | FactorTypes.Totp),
            TwoFactorSetting.Allowed(FactorTypes.None),
        ];

        public override string ToString() => Kind switch
        {
            OperationKind.RegisterAccount => $"register account {Id} ({(Other % 2 == 0 ? "created" : "imported")}{(Demo ? ", demo" : "")})",
            OperationKind.RegisterSubUser => $"register sub-user {Id} of {Other}",
            OperationKind.Remove => $"remove {Id}",
            OperationKind.UpdateSelected => $"update [{string.Join(", ", Ids ?? [])}] to {Settings[Setting]}{(DryRun ? " (dry run)" : "")}",
            OperationKind.UpdateAll => $"update all to {Settings[Setting]}{(DryRun ? " (dry run)" : "")}",
            OperationKind.UpdateDefault => $"update default to {Settings[Setting]}{(DryRun ? " (dry run)" : "")}",
            OperationKind.EnforceForEveryone => $"enforce {Settings[Setting]} for everyone{(DryRun ? " (dry run)" : "")}",
            _ => $"read {Id}",
        };
    }

    public static class OperationArbitrary
    {
        public static Arbitrary<Operation[]> Operations()
        {
            // Few ids, so that registrations collide and updates meet sub-users, demo accounts and removed ids.
            var id = Gen.Frequency((12, Gen.Choose(1, (int)Operation.MaxId)), (1, Gen.Choose(-1, 0))).Select(i => (long)i);
            var kind = Gen.Frequency(
                (6, Gen.Constant(OperationKind.RegisterAccount)),
                (3, Gen.Constant(OperationKind.RegisterSubUser)),
                (2, Gen.Constant(OperationKind.Remove)),
                (5, Gen.Constant(OperationKind.UpdateSelected)),
                (3, Gen.Constant(OperationKind.UpdateAll)),
                (2, Gen.Constant(OperationKind.UpdateDefault)),
                (1, Gen.Constant(OperationKind.EnforceForEveryone)),
                (3, Gen.Constant(OperationKind.Read)));
            var setting = Gen.Frequency((10, Gen.Choose(0, 3)), (1, Gen.Constant(4)));
            var operation =
                from k in kind
                from principal in id
                from other in id
                from s in setting
                from dryRun in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
                from demo in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
                from count in Gen.Choose(0, 4)
                from ids in Gen.ArrayOf(id, count)
                select new Operation(k, principal, other, s, dryRun, demo, ids);
            return Gen.Choose(1, 40).SelectMany(length => Gen.ArrayOf(operation, length)).ToArbitrary();
        }
    }

    /// <summary>The public services of one engine, with every answer written out so that two engines compare as text.</summary>
    private sealed class Engine(ITwoFactorSettings settings, ITwoFactorDirectory directory, Resolution.ITwoFactorResolver resolver)
    {
        public async Task<string> ApplyAsync(TenantId tenant, Operation operation)
        {
            var setting = Operation.Settings[operation.Setting];
            return operation.Kind switch
            {
                OperationKind.RegisterAccount => (await directory.RegisterAccountAsync(tenant, operation.Id, operation.Other % 2 == 0 ? AccountOrigin.Created : AccountOrigin.Imported, operation.Demo)).ToString(),
                OperationKind.RegisterSubUser => (await directory.RegisterSubUserAsync(tenant, operation.Id, operation.Other)).ToString(),
                OperationKind.Remove => (await directory.RemoveAsync(tenant, operation.Id)).ToString(),
                OperationKind.UpdateSelected => Describe(await settings.UpdateAsync(tenant, SettingsTarget.Selected(operation.Ids ?? []), setting, operation.DryRun)),
                OperationKind.UpdateAll => Describe(await settings.UpdateAsync(tenant, SettingsTarget.All, setting, operation.DryRun)),
                OperationKind.UpdateDefault => Describe(await settings.UpdateDefaultAsync(tenant, setting, operation.DryRun)),
                OperationKind.EnforceForEveryone => Describe(await settings.EnforceForEveryoneAsync(tenant, setting, operation.DryRun)),
                _ => string.Join(
                    " | ",
                    (await resolver.ResolveAsync(tenant, operation.Id)).ToString(),
                    (await settings.ReadAsync(tenant, operation.Id)).ToString(),
                    (await settings.ReadDefaultAsync(tenant) ?? throw new InvalidOperationException("a store failed")).ToString()),
            };
        }

        private static string Describe(SettingsUpdateResult result) => string.Create(
            CultureInfo.InvariantCulture,
            $"{result} (version {result.Version}, dry run {result.IsDryRun}, errors {string.Join("; ", result.Errors.Select(e => $"{e.Code} {e.Id}"))})");
    }
}
