using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Tests.Settings;

namespace Navixy.TwoFactor.Tests.Resolution;

/// <summary>
/// The resolver's common path allocates nothing. Bytes allocated on the test thread are counted around many
/// calls after a warm-up (JIT, tiering, first-use caches); this counts, it does not time.
/// </summary>
public class TwoFactorResolverAllocationTests
{
    private const int Calls = 10_000;

    [Test]
    public void Resolve_AnyKindOfPrincipal_AllocatesNothing()
    {
        var tenant = new TenantPolicy(TwoFactorSetting.Disallowed, TwoFactorSetting.Allowed(FactorTypes.Email), 5);
        var account = new AccountRecord(3, AccountOrigin.Imported, false, TwoFactorSetting.Allowed(FactorTypes.Totp), SettingSource.SelectedUpdate, 9);
        PrincipalPolicy[] snapshots =
        [
            new(3, PrincipalKind.Account, account, tenant),
            new(4, PrincipalKind.SubUser, account, tenant),
            new(5, PrincipalKind.Account, account with { Id = 5, IsDemo = true }, tenant),
            new(6, PrincipalKind.Account, account with { Id = 6, Version = 2 }, tenant),
            PrincipalPolicy.Unknown(7, tenant),
        ];

        long required = 0;
        void ResolveAll()
        {
            for (var i = 0; i < Calls; i++)
            {
                if (TwoFactorResolver.Resolve(snapshots[i % snapshots.Length]).IsRequired)
                {
                    required++;
                }
            }
        }

        ResolveAll();
        required = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        ResolveAll();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero, "bytes allocated by resolving");
        Assert.That(required, Is.EqualTo(Calls / snapshots.Length * 3), "the account, its sub-user and the update-all override are required");
    }

    [Test]
    public void ResolveAsync_InMemoryStore_AllocatesNothing()
    {
        using var engine = new TestEngine();
        var t = new TenantId(3);
        TestEngine.Run(engine.Directory.RegisterAccountAsync(t, 1));
        TestEngine.Run(engine.Directory.RegisterAccountAsync(t, 2, AccountOrigin.Imported, isDemo: true));
        TestEngine.Run(engine.Directory.RegisterSubUserAsync(t, 3, 1));
        TestEngine.Run(engine.Settings.EnforceForEveryoneAsync(t, TwoFactorSetting.Allowed(FactorTypes.Email)));
        var resolver = engine.Resolver;

        long required = 0;
        void ResolveAll()
        {
            for (var i = 0; i < Calls; i++)
            {
                var pending = resolver.ResolveAsync(t, 1 + (i % 4));
                if (pending.IsCompletedSuccessfully && pending.Result.IsRequired)
                {
                    required++;
                }
            }
        }

        ResolveAll();
        required = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        ResolveAll();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero, "bytes allocated by resolving through the service and the in-memory store");
        Assert.That(required, Is.EqualTo(Calls / 2), "the account and its sub-user are required; the demo account and id 4 are not");
    }
}
