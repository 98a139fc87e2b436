using FsCheck;
using FsCheck.Fluent;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Tests.Policy;
using Navixy.TwoFactor.Tests.Settings;

namespace Navixy.TwoFactor.Tests.Resolution;

/// <summary>The bulk resolver answers exactly what the one-by-one resolver answers, for a page of ids or a whole tenant.</summary>
public class TwoFactorBulkResolverTests
{
    private static readonly long[] Ids = [.. Enumerable.Range(-1, (int)PolicyGen.MaxPrincipalId + 4).Select(i => (long)i)];

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property ResolveMany_AnswersEachIdAsResolveDoes_WhateverTheHistory() =>
        Prop.ForAll(LawArbs.Histories, history =>
        {
            using var world = new World(history);
            var answers = new Requirement[Ids.Length];
            world.Engine.BulkResolver.ResolveManyAsync(world.Tenant, Ids, answers).AsTask().GetAwaiter().GetResult();
            var mismatches = Ids.Where((id, i) => answers[i] != world.Engine.Resolve(world.Tenant, id)).ToList();
            return (mismatches.Count == 0).Label($"ids answered differently: {string.Join(", ", mismatches)}");
        });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property ResolveTenant_AnswersEveryRegisteredPrincipalOnceAsResolveDoes_WhateverTheHistory() =>
        Prop.ForAll(LawArbs.Histories, Gen.Choose(1, 7).ToArbitrary(), (history, pageSize) =>
        {
            using var world = new World(history);
            var streamed = Stream(world.Engine.BulkResolver, world.Tenant, pageSize);
            var registered = history.Operations.SelectMany(o => o switch
            {
                RegisterAccount r => [r.Id],
                RegisterSubUser s => new[] { s.Id },
                _ => [],
            });
            var expected = Ids.Concat(registered).Distinct().Order()
                .Select(id => world.Engine.Resolve(world.Tenant, id)).Where(a => a.Outcome != RequirementOutcome.UnknownPrincipal).ToList();
            return (streamed.Count == expected.Count && streamed.OrderBy(a => a.PrincipalId).SequenceEqual(expected))
                .Label($"streamed {streamed.Count} answers, resolve knows {expected.Count} principals");
        });

    [Test]
    public void ResolveTenant_UnknownTenant_StreamsNothing()
    {
        using var engine = new TestEngine();

        Assert.That(Stream(engine.BulkResolver, new TenantId(99), 16), Is.Empty);
    }

    [Test]
    public void ResolveMany_UnknownTenant_AnswersUnknownPrincipal()
    {
        using var engine = new TestEngine();
        var answers = new Requirement[2];

        engine.BulkResolver.ResolveManyAsync(new TenantId(99), new long[] { 1, 2 }, answers).AsTask().GetAwaiter().GetResult();

        Assert.That(answers.Select(a => (a.PrincipalId, a.Outcome)), Is.EqualTo(new[] { (1L, RequirementOutcome.UnknownPrincipal), (2L, RequirementOutcome.UnknownPrincipal) }));
    }

    [Test]
    public void BadArguments_Throw()
    {
        using var engine = new TestEngine();
        var tenant = new TenantId(1);

        Assert.Multiple(() =>
        {
            Assert.That(() => engine.BulkResolver.ResolveManyAsync(default, new long[] { 1 }, new Requirement[1]), Throws.ArgumentException, "default tenant");
            Assert.That(() => engine.BulkResolver.ResolveManyAsync(tenant, new long[] { 1, 2 }, new Requirement[1]), Throws.ArgumentException, "too little room");
            Assert.That(() => engine.BulkResolver.ResolveTenantAsync(default), Throws.ArgumentException, "default tenant");
            Assert.That(() => engine.BulkResolver.ResolveTenantAsync(tenant, 0), Throws.InstanceOf<ArgumentOutOfRangeException>(), "empty pages");
        });
    }

    [Test]
    public async Task ResolveTenant_WhileOthersAreRegisteredAndRemoved_AnswersThosePresentThroughoutExactlyOnce()
    {
        using var engine = new TestEngine();
        var tenant = new TenantId(3);
        const int stable = 2_000;
        for (long id = 1; id <= stable; id++)
        {
            TestEngine.Run(engine.Directory.RegisterAccountAsync(tenant, id));
        }

        using var stop = new CancellationTokenSource();
        var churn = Task.Run(() =>
        {
            // Ids above the stable ones come and go (growing and rebuilding the table) while the stream runs.
            for (var round = 0; !stop.IsCancellationRequested; round++)
            {
                for (long id = 100_000; id < 100_500; id++)
                {
                    TestEngine.Run(engine.Directory.RegisterAccountAsync(tenant, id + (round % 7 * 1_000)));
                }

                for (long id = 100_000; id < 100_500; id++)
                {
                    TestEngine.Run(engine.Directory.RemoveAsync(tenant, id + (round % 7 * 1_000)));
                }
            }
        });

        try
        {
            for (var pass = 0; pass < 20; pass++)
            {
                var seen = Stream(engine.BulkResolver, tenant, 64).Select(a => a.PrincipalId).Where(id => id <= stable).ToList();
                Assert.That(seen, Is.EquivalentTo(Enumerable.Range(1, stable).Select(i => (long)i)), $"pass {pass}");
            }
        }
        finally
        {
            await stop.CancelAsync();
            await churn;
        }
    }

    private static List<Requirement> Stream(ITwoFactorBulkResolver resolver, TenantId tenant, int pageSize)
    {
        var answers = new List<Requirement>();
        var pages = resolver.ResolveTenantAsync(tenant, pageSize).GetAsyncEnumerator();
        try
        {
            while (pages.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                answers.AddRange(pages.Current.Span);
            }
        }
        finally
        {
            pages.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return answers;
    }
}
