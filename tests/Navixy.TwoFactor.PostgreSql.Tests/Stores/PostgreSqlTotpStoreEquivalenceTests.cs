using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// The PostgreSQL authenticator stores give exactly the in-memory stores' answers: the same random sequence of store calls
/// (pending secrets saved, confirmed with the right or a stale blob before or after expiry, steps advanced, replayed and
/// raced with a replaced secret, recovery sets replaced, found, used twice, counted and deleted) runs against both, and
/// every answer, every record read back included, must be equal.
/// </summary>
public sealed class PostgreSqlTotpStoreEquivalenceTests : PostgreSqlFixture
{
    /// <summary>Protected secrets the calls pick from (opaque to the store).</summary>
    private static readonly byte[][] Secrets = [[1, 1, 1, 1], [2, 2, 2, 2, 2], [3, 3, 3]];

    /// <summary>Recovery codes the calls pick from: two share a lookup id, as two codes of one set may.</summary>
    private static readonly RecoveryCodeHash[] Codes =
    [
        new("AAAA", [1], [10, 10], 10_000),
        new("AAAA", [2], [20, 20], 10_000),
        new("BBBB", [3], [30, 30], 20_000),
        new("CCCC", [4], [40, 40], 10_000),
    ];

    private TestNode? _node;

    [SetUp]
    public void ForgetNode() => _node = null;

    [FsCheck.NUnit.Property(MaxTest = 40, Arbitrary = [typeof(StoreCallArbitrary)])]
    public void AnyCallSequence_AnswersAsTheInMemoryStores(StoreCall[] calls)
    {
        _node ??= StartNode("totp-equivalence");
        RunAsync(_node, calls).GetAwaiter().GetResult();
    }

    private static async Task RunAsync(TestNode node, StoreCall[] calls)
    {
        var tenant = NewTenant();
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor();
        await using var memory = services.BuildServiceProvider();
        var expected = new Stores(memory.GetRequiredService<ITotpEnrollmentStore>(), memory.GetRequiredService<IRecoveryCodeStore>());
        var actual = new Stores(node.EnrollmentStore, node.RecoveryCodeStore);

        for (var i = 0; i < calls.Length; i++)
        {
            Assert.That(await actual.ApplyAsync(tenant, calls[i]), Is.EqualTo(await expected.ApplyAsync(tenant, calls[i])), $"call {i}: {calls[i]}");
        }

        for (long principal = 1; principal <= StoreCall.MaxPrincipal; principal++)
        {
            foreach (var read in new[] { new StoreCall(StoreCallKind.Get, principal), new StoreCall(StoreCallKind.CountUnused, principal) })
            {
                Assert.That(await actual.ApplyAsync(tenant, read), Is.EqualTo(await expected.ApplyAsync(tenant, read)), $"final {read}");
            }
        }
    }

    public enum StoreCallKind
    {
        Get,
        SavePending,
        ActivatePending,
        TryAdvanceStep,
        Delete,
        Replace,
        FindUnused,
        TryMarkUsed,
        CountUnused,
        DeleteAll,
    }

    /// <summary>One store call; fields a kind does not use are ignored. Times are minutes after the epoch.</summary>
    public sealed record StoreCall(StoreCallKind Kind, long Principal, int Secret = 0, long Step = 0, int Minutes = 0, int Code = 0, int[]? Set = null)
    {
        public const long MaxPrincipal = 2;

        public override string ToString() => Kind switch
        {
            StoreCallKind.SavePending => $"save pending {Secret} for {Principal} until +{Minutes} min",
            StoreCallKind.ActivatePending => $"activate {Principal} expecting {Secret} at step {Step}, +{Minutes} min",
            StoreCallKind.TryAdvanceStep => $"advance {Principal} to step {Step} expecting {Secret}",
            StoreCallKind.Replace => $"replace codes of {Principal} with [{string.Join(", ", Set ?? [])}]",
            StoreCallKind.FindUnused => $"find unused {Codes[Code].LookupId} of {Principal}",
            StoreCallKind.TryMarkUsed => $"mark code {Code} of {Principal} used",
            _ => $"{Kind} {Principal}",
        };
    }

    public static class StoreCallArbitrary
    {
        public static Arbitrary<StoreCall[]> Calls()
        {
            var kind = Gen.Frequency(
                (2, Gen.Constant(StoreCallKind.Get)),
                (3, Gen.Constant(StoreCallKind.SavePending)),
                (3, Gen.Constant(StoreCallKind.ActivatePending)),
                (4, Gen.Constant(StoreCallKind.TryAdvanceStep)),
                (1, Gen.Constant(StoreCallKind.Delete)),
                (2, Gen.Constant(StoreCallKind.Replace)),
                (2, Gen.Constant(StoreCallKind.FindUnused)),
                (3, Gen.Constant(StoreCallKind.TryMarkUsed)),
                (1, Gen.Constant(StoreCallKind.CountUnused)),
                (1, Gen.Constant(StoreCallKind.DeleteAll)));
            var call =
                from k in kind
                from principal in Gen.Choose(1, (int)StoreCall.MaxPrincipal)
                from secret in Gen.Choose(0, Secrets.Length - 1)
                from step in Gen.Choose(-3, 6)
                from minutes in Gen.Choose(0, 12)
                from code in Gen.Choose(0, Codes.Length - 1)
                from set in Gen.SubListOf(Enumerable.Range(0, Codes.Length).ToArray())
                select new StoreCall(k, principal, secret, step, minutes, code, [.. set]);
            return Gen.Choose(1, 30).SelectMany(length => Gen.ArrayOf(call, length)).ToArbitrary();
        }
    }

    /// <summary>Both stores of one kind, with every answer written out so that two implementations compare as text.</summary>
    private sealed class Stores(ITotpEnrollmentStore enrollments, IRecoveryCodeStore recoveryCodes)
    {
        private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public async Task<string> ApplyAsync(TenantId tenant, StoreCall call)
        {
            var none = CancellationToken.None;
            var at = Epoch.AddMinutes(call.Minutes);
            switch (call.Kind)
            {
                case StoreCallKind.Get:
                    return await enrollments.GetAsync(tenant, call.Principal, none) is { } r
                        ? string.Create(CultureInfo.InvariantCulture, $"active {Show(r.ActiveSecret)} step {r.LastAcceptedStep} pending {Show(r.PendingSecret)} until {r.PendingExpiresAt:O} enrolled {r.IsEnrolled}")
                        : "none";
                case StoreCallKind.SavePending:
                    await enrollments.SavePendingAsync(tenant, call.Principal, Secrets[call.Secret], at, none);
                    return "saved";
                case StoreCallKind.ActivatePending:
                    return (await enrollments.ActivatePendingAsync(tenant, call.Principal, Secrets[call.Secret], call.Step, at, none)).ToString();
                case StoreCallKind.TryAdvanceStep:
                    return (await enrollments.TryAdvanceStepAsync(tenant, call.Principal, Secrets[call.Secret], call.Step, none)).ToString();
                case StoreCallKind.Delete:
                    return (await enrollments.DeleteAsync(tenant, call.Principal, none)).ToString();
                case StoreCallKind.Replace:
                    await recoveryCodes.ReplaceAsync(tenant, call.Principal, (call.Set ?? []).Select(i => Codes[i]).ToArray(), none);
                    return "replaced";
                case StoreCallKind.FindUnused:
                    var found = await recoveryCodes.FindUnusedAsync(tenant, call.Principal, Codes[call.Code].LookupId, none);
                    return string.Join("; ", found.Select(c => $"{c.LookupId} {Show(c.Salt)} {Show(c.Hash)} {c.Iterations}").Order(StringComparer.Ordinal));
                case StoreCallKind.TryMarkUsed:
                    return (await recoveryCodes.TryMarkUsedAsync(tenant, call.Principal, Codes[call.Code], none)).ToString();
                case StoreCallKind.CountUnused:
                    return (await recoveryCodes.CountUnusedAsync(tenant, call.Principal, none)).ToString(CultureInfo.InvariantCulture);
                default:
                    return (await recoveryCodes.DeleteAllAsync(tenant, call.Principal, none)).ToString(CultureInfo.InvariantCulture);
            }
        }

        private static string Show(byte[]? blob) => blob is null ? "null" : Convert.ToHexString(blob);
    }
}
