using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Settings;

namespace Navixy.TwoFactor.Benchmarks;

/// <summary>A tenant filled through the public services: accounts, every tenth with a sub-user, every hundredth a demo account.</summary>
internal sealed class PolicyFixture
{
    public PolicyFixture(int accounts)
    {
        Provider = new ServiceCollection().AddNavixyTwoFactor().Services.BuildServiceProvider();
        Directory = Provider.GetRequiredService<ITwoFactorDirectory>();
        Settings = Provider.GetRequiredService<ITwoFactorSettings>();
        Resolver = Provider.GetRequiredService<ITwoFactorResolver>();
        Accounts = accounts;
        for (long id = 1; id <= accounts; id++)
        {
            Check(Directory.RegisterAccountAsync(Tenant, id, isDemo: id % 100 == 0).Wait().Succeeded);
            if (id % 10 == 1)
            {
                Check(Directory.RegisterSubUserAsync(Tenant, SubUserOf(id), id).Wait().Succeeded);
            }
        }

        Check(Settings.UpdateAsync(Tenant, SettingsTarget.Selected(Enumerable.Range(1, Math.Min(accounts, 1000)).Select(i => (long)i)), TwoFactorSetting.Allowed(FactorTypes.Email))
            .Wait().Succeeded);
    }

    public static TenantId Tenant { get; } = new(1);

    public ServiceProvider Provider { get; }

    public ITwoFactorDirectory Directory { get; }

    public ITwoFactorSettings Settings { get; }

    public ITwoFactorResolver Resolver { get; }

    public int Accounts { get; }

    public static long SubUserOf(long accountId) => 10_000_000_000 + accountId;

    private static void Check(bool ok)
    {
        if (!ok)
        {
            throw new InvalidOperationException("Benchmark set-up failed.");
        }
    }
}
