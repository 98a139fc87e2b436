using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// The PostgreSQL challenge store gives exactly the in-memory store's answers, that is <see cref="SecondStepRules"/>'
/// decisions: the same random sequence of store calls (starts of both factors within and after the send cooldown and
/// beyond the open-challenge cap, verifies, reservations and every kind of settlement, resends, finds, step-up
/// redemptions, failures, revocations, unlocks and removals, with authenticators and recovery codes to spend, on a clock
/// that moves in steps around the reservation lease) runs against both, each with its own authenticator stores, and every
/// answer must be equal. Small limits make every refusal reachable; no challenge ends during a sequence, because the
/// in-memory store also deletes ended challenges as it goes, which the PostgreSQL store leaves to its purge.
/// </summary>
public sealed class PostgreSqlChallengeStoreEquivalenceTests : PostgreSqlFixture
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly ChallengeLimits Limits = new(MaxAttempts: 3, MaxSends: 3, LockoutThreshold: 3, LockoutDuration: TimeSpan.FromMinutes(2), MaxConsecutiveFailures: 9)
    {
        SendCooldown = TimeSpan.FromMinutes(1),
        MaxOpenChallenges = 2,
    };

    /// <summary>Protected secrets the calls pick from (opaque to the stores).</summary>
    private static readonly byte[][] Secrets = [[1, 1, 1, 1], [2, 2, 2, 2, 2]];

    /// <summary>Recovery codes the calls pick from.</summary>
    private static readonly RecoveryCodeHash[] Codes = [new("AAAA", [1], [10, 10], 10_000), new("BBBB", [2], [20, 20], 10_000)];

    private TestNode? _node;

    [SetUp]
    public void ForgetNode() => _node = null;

    [FsCheck.NUnit.Property(MaxTest = 100, Arbitrary = [typeof(StoreCallArbitrary)])]
    public void AnyCallSequence_AnswersAsTheInMemoryStore(StoreCall[] calls)
    {
        _node ??= StartNode("challenge-equivalence");
        RunAsync(_node, calls).GetAwaiter().GetResult();
    }

    private static async Task RunAsync(TestNode node, StoreCall[] calls)
    {
        var tenant = NewTenant();
        var tokens = Enumerable.Range(0, StoreCall.Tokens).Select(_ => RandomNumberGenerator.GetBytes(32)).ToArray();
        var digests = Enumerable.Range(0, StoreCall.Digests).Select(_ => RandomNumberGenerator.GetBytes(32)).ToArray();
        var services = new ServiceCollection();
        services.AddNavixyTwoFactor();
        await using var memory = services.BuildServiceProvider();
        var expected = new Stores(memory.GetRequiredService<IChallengeStore>(), memory.GetRequiredService<ITotpEnrollmentStore>(), memory.GetRequiredService<IRecoveryCodeStore>(), tenant, tokens, digests);
        var actual = new Stores(node.ChallengeStore, node.EnrollmentStore, node.RecoveryCodeStore, tenant, tokens, digests);

        var now = Epoch;
        for (var i = 0; i < calls.Length; i++)
        {
            now += TimeSpan.FromSeconds(calls[i].Seconds);
            Assert.That(await actual.ApplyAsync(calls[i], now), Is.EqualTo(await expected.ApplyAsync(calls[i], now)), $"call {i} at +{(now - Epoch).TotalSeconds} s: {calls[i]}");
        }

        for (var t = 0; t < StoreCall.Tokens; t++)
        {
            var find = new StoreCall(StoreCallKind.Find, Token: t);
            Assert.That(await actual.ApplyAsync(find, now), Is.EqualTo(await expected.ApplyAsync(find, now)), $"final {find}");
        }
    }

    public enum StoreCallKind
    {
        Create,
        Verify,
        Reserve,
        Settle,
        Resend,
        Find,
        RedeemStepUp,
        RecordFailure,
        Revoke,
        RemovePrincipal,
        ResetPrincipal,
        Enrol,
        ReplaceCodes,
    }

    /// <summary>
    /// One call, <see cref="Seconds"/> after the previous one; fields a kind does not use are ignored. A settlement's
    /// <see cref="Settlement"/> is a <see cref="ChallengeSettlementKind"/>; its proof is <see cref="Secret"/> and
    /// <see cref="Step"/>, or <see cref="Code"/>.
    /// </summary>
    public sealed record StoreCall(StoreCallKind Kind, int Seconds = 0, long Principal = 1, int Token = 0, int Digest = 0, bool Email = true, int Settlement = 0, int Secret = 0, long Step = 0, int Code = 0)
    {
        public const int Tokens = 4;
        public const int Digests = 2;

        public override string ToString() => Kind switch
        {
            StoreCallKind.Create => $"create {(Email ? "email" : "authenticator")} token {Token} digest {Digest} for {Principal}",
            StoreCallKind.Verify or StoreCallKind.Resend => $"{Kind} token {Token} digest {Digest}",
            StoreCallKind.Settle => $"settle token {Token}: {(ChallengeSettlementKind)Settlement} secret {Secret} step {Step} code {Code}",
            StoreCallKind.RedeemStepUp => $"redeem token {Token} for {Principal}",
            StoreCallKind.Enrol => $"enrol {Principal} with secret {Secret} at step {Step}",
            StoreCallKind.ReplaceCodes => $"codes of {Principal}: both",
            StoreCallKind.Reserve or StoreCallKind.Find or StoreCallKind.Revoke => $"{Kind} token {Token}",
            _ => $"{Kind} {Principal}",
        };
    }

    public static class StoreCallArbitrary
    {
        public static Arbitrary<StoreCall[]> Calls()
        {
            var kind = Gen.Frequency(
                (4, Gen.Constant(StoreCallKind.Create)),
                (5, Gen.Constant(StoreCallKind.Verify)),
                (7, Gen.Constant(StoreCallKind.Reserve)),
                (6, Gen.Constant(StoreCallKind.Settle)),
                (2, Gen.Constant(StoreCallKind.Resend)),
                (2, Gen.Constant(StoreCallKind.Find)),
                (1, Gen.Constant(StoreCallKind.RedeemStepUp)),
                (2, Gen.Constant(StoreCallKind.RecordFailure)),
                (1, Gen.Constant(StoreCallKind.Revoke)),
                (1, Gen.Constant(StoreCallKind.RemovePrincipal)),
                (1, Gen.Constant(StoreCallKind.ResetPrincipal)),
                (1, Gen.Constant(StoreCallKind.Enrol)),
                (1, Gen.Constant(StoreCallKind.ReplaceCodes)));
            var call =
                from k in kind
                from seconds in Gen.Elements(0, 0, 0, 0, 10, 40, 70, 200)
                from principal in Gen.Choose(1, 2)
                from token in Gen.Choose(0, StoreCall.Tokens - 1)
                from digest in Gen.Choose(0, StoreCall.Digests - 1)
                from email in Gen.Elements(true, false)
                from settlement in Gen.Choose(0, 4)
                from secret in Gen.Choose(0, Secrets.Length - 1)
                from step in Gen.Choose(0, 4)
                from code in Gen.Choose(0, Codes.Length - 1)
                select new StoreCall(k, seconds, principal, token, digest, email, settlement, secret, step, code);
            return Gen.Choose(1, 60).SelectMany(length => Gen.ArrayOf(call, length)).ToArbitrary();
        }
    }

    /// <summary>One implementation's stores, with every answer written out so that two implementations compare as text.</summary>
    private sealed class Stores(IChallengeStore challenges, ITotpEnrollmentStore enrollments, IRecoveryCodeStore recoveryCodes, TenantId tenant, byte[][] tokens, byte[][] digests)
    {
        public async Task<string> ApplyAsync(StoreCall call, DateTimeOffset now)
        {
            try
            {
                return await AnswerAsync(call, now);
            }
            catch (InvalidOperationException e)
            {
                // A reused token hash: both stores refuse it the same way.
                return "throws " + e.GetType().Name;
            }
        }

        private async Task<string> AnswerAsync(StoreCall call, DateTimeOffset now)
        {
            var none = CancellationToken.None;
            var token = tokens[call.Token];
            switch (call.Kind)
            {
                case StoreCallKind.Create:
                    var challenge = new NewChallenge(tenant, call.Principal, call.Email ? FactorTypes.Email : FactorTypes.Totp, token, digests[call.Digest], now, now.AddMinutes(3), now.AddDays(1), now.AddMinutes(1));
                    return (await challenges.CreateAsync(challenge, Limits, none)).ToString();
                case StoreCallKind.Verify:
                    return (await challenges.VerifyAsync(tenant, token, digests[call.Digest], now, Limits, none)).ToString();
                case StoreCallKind.Reserve:
                    return (await challenges.ReserveAsync(tenant, token, now, Limits, none)).ToString();
                case StoreCallKind.Settle:
                    return (await challenges.SettleAsync(tenant, token, Settlement(call), now, Limits, none)).ToString();
                case StoreCallKind.Resend:
                    return (await challenges.ReplaceCodeAsync(tenant, token, digests[call.Digest], now, now.AddMinutes(3), now.AddMinutes(1), Limits, none)).ToString();
                case StoreCallKind.Find:
                    return (await challenges.FindAsync(tenant, token, now, Limits, none)).ToString();
                case StoreCallKind.RedeemStepUp:
                    return (await challenges.RedeemStepUpAsync(tenant, token, call.Principal, now.AddMinutes(-5), now, none)).ToString();
                case StoreCallKind.RecordFailure:
                    return (await challenges.RecordFailureAsync(tenant, call.Principal, now, Limits, none)).ToString();
                case StoreCallKind.Revoke:
                    return (await challenges.RevokeAsync(tenant, token, none)).ToString();
                case StoreCallKind.RemovePrincipal:
                    return (await challenges.RemovePrincipalAsync(tenant, call.Principal, none)).ToString();
                case StoreCallKind.ResetPrincipal:
                    return (await challenges.ResetPrincipalAsync(tenant, call.Principal, none)).ToString();
                case StoreCallKind.Enrol:
                    await enrollments.SavePendingAsync(tenant, call.Principal, Secrets[call.Secret], now.AddMinutes(10), none);
                    return (await enrollments.ActivatePendingAsync(tenant, call.Principal, Secrets[call.Secret], call.Step, now, none)).ToString();
                default:
                    await recoveryCodes.ReplaceAsync(tenant, call.Principal, Codes, none);
                    return "replaced";
            }
        }

        private static ChallengeSettlement Settlement(StoreCall call) => (ChallengeSettlementKind)call.Settlement switch
        {
            ChallengeSettlementKind.Release => ChallengeSettlement.Release,
            ChallengeSettlementKind.WrongCode => ChallengeSettlement.WrongCode,
            ChallengeSettlementKind.Pass => ChallengeSettlement.Pass,
            ChallengeSettlementKind.PassWithTimeStep => ChallengeSettlement.PassWithTimeStep(Secrets[call.Secret], call.Step),
            _ => ChallengeSettlement.PassWithRecoveryCode(Codes[call.Code]),
        };
    }
}
