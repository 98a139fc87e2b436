using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Stores.InMemory;

namespace Navixy.TwoFactor.Benchmarks;

/// <summary>
/// Retained memory of the in-memory stores: per account at 1,000,000 accounts (goal ≤ 128 B) and per
/// pending email challenge at 100,000 challenges. Measured as the managed heap after a full collection.
/// </summary>
internal static class Footprint
{
    public static void Report(TextWriter output)
    {
        const int accounts = 1_000_000;
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var fixture = new PolicyFixture(accounts);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(fixture);
        var principals = accounts + (accounts / 10);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Footprint: {accounts:N0} accounts + {accounts / 10:N0} sub-users retain {(after - before) / 1024.0 / 1024.0:F1} MiB = {(double)(after - before) / accounts:F0} B per account ({(double)(after - before) / principals:F0} B per principal)."));

        ReportProbes(output, fixture);

        const int challenges = 100_000;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        services.AddNavixyTwoFactor(o => o.KeyMaterial = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))
            .UseInMemoryStores()
            .AddEmailCodeSender<EmailChallengeBenchmarks.CapturingSender>();
        using var provider = services.BuildServiceProvider();
        var tenant = new TenantId(1);
        var directory = provider.GetRequiredService<ITwoFactorDirectory>();
        for (long id = 1; id <= challenges; id++)
        {
            directory.RegisterAccountAsync(tenant, id).Wait();
        }

        provider.GetRequiredService<ITwoFactorSettings>().EnforceForEveryoneAsync(tenant, TwoFactorSetting.Allowed(FactorTypes.Email)).Wait();
        var service = provider.GetRequiredService<ITwoFactorChallenges>();
        service.StartAsync(tenant, 1).Wait();
        before = GC.GetTotalMemory(forceFullCollection: true);
        for (long id = 2; id <= challenges; id++)
        {
            if (service.StartAsync(tenant, id).Wait().Outcome != ChallengeStartOutcome.Started)
            {
                throw new InvalidOperationException("A challenge did not start.");
            }
        }

        after = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Footprint: {challenges - 1:N0} pending email challenges retain {(after - before) / 1024.0 / 1024.0:F1} MiB = {(double)(after - before) / (challenges - 1):F0} B per challenge (with its principal's lockout entry)."));
    }

    /// <summary>How many slots a lookup reads in the tenant's table: from an id's home slot to the slot that holds it.</summary>
    private static void ReportProbes(TextWriter output, PolicyFixture fixture)
    {
        var slots = fixture.Provider.GetRequiredService<InMemoryPolicyStore>().SlotsOf(PolicyFixture.Tenant);
        var mask = slots.Length - 1;
        long total = 0, live = 0, longest = 0;
        for (var i = 0; i < slots.Length; i++)
        {
            if (PrincipalTable.TryRead(ref slots[i], out var id, out _))
            {
                var read = ((i - TableHash.Home(id, mask)) & mask) + 1;
                total += read;
                longest = Math.Max(longest, read);
                live++;
            }
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Probes: in {slots.Length:N0} slots, finding one of the {live:N0} principals reads {(double)total / live:F2} slots on average, {longest} at most."));
    }
}
