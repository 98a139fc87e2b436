using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Devices;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Settings;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// Round trips of a start with a device token (policy.md D2), counted, not timed: a remembered device is the principal read
/// and the one conditional UPDATE that honours it (2, as a start without one); a token not honoured adds that UPDATE to the
/// ordinary start.
/// </summary>
public sealed class PostgreSqlRememberedDeviceRoundTripTests : PostgreSqlFixture
{
    [Test]
    [Description("D2 A start with a remembered device stays at 2 round trips (principal read, then the honouring UPDATE).")]
    public async Task D2_StartWithARememberedDevice_IsTwoRoundTrips()
    {
        var (node, tenant, token) = await RememberedAsync();

        var cost = await node.RoundTrips.CountAsync(async () =>
            Assert.That((await node.Challenges.StartAsync(tenant, 1, token)).Reason, Is.EqualTo(NotRequiredReason.RememberedDevice)));

        Assert.That(cost, Is.EqualTo((2L, 2L)));
    }

    [Test]
    [Description("D2 A start with a void token goes on as without it: the honouring UPDATE finds nothing, then the ordinary create.")]
    public async Task D2_StartWithAVoidToken_IsTheOrdinaryStartAndOneUpdate()
    {
        var (node, tenant, token) = await RememberedAsync();
        Assert.That((await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), TwoFactorSetting.Allowed(FactorTypes.Email))).Succeeded, Is.True);
        node.Time.Advance(TimeSpan.FromMinutes(1));

        var cost = await node.RoundTrips.CountAsync(async () =>
            Assert.That((await node.Challenges.StartAsync(tenant, 1, token)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started)));

        Assert.That(cost.RoundTrips, Is.EqualTo(3L));
    }

    [Test]
    [Description("C4 D2 A locked principal's start with a valid device token is answered from the start's one read, which carries the lockout: 1 round trip, no UPDATE of the device.")]
    public async Task C4_D2_LockedStartWithADeviceToken_IsOneRoundTrip()
    {
        var (node, tenant, token) = await RememberedAsync();
        node.Time.Advance(TimeSpan.FromMinutes(1));
        var started = await node.Challenges.StartAsync(tenant, 1);
        var wrong = string.Concat(node.Sender.LastCode(tenant, 1).Select(c => (char)('0' + ((c - '0' + 1) % 10))));
        ChallengeVerifyResult verified;
        do
        {
            verified = await node.Challenges.VerifyAsync(tenant, started.Token, wrong);
            if (verified.Outcome == ChallengeVerifyOutcome.Locked)
            {
                node.Time.Advance(TimeSpan.FromMinutes(1));
                started = await node.Challenges.StartAsync(tenant, 1);
                wrong = string.Concat(node.Sender.LastCode(tenant, 1).Select(c => (char)('0' + ((c - '0' + 1) % 10))));
            }
        }
        while (verified.Outcome != ChallengeVerifyOutcome.PrincipalLocked);

        var cost = await node.RoundTrips.CountAsync(async () =>
            Assert.That((await node.Challenges.StartAsync(tenant, 1, token)).LockedUntil, Is.EqualTo(verified.LockedUntil)));

        Assert.That(cost, Is.EqualTo((1L, 1L)));
    }

    [Test]
    [Description("G1 A start that must enrol is the start's read and one statement that reads the period and records the start once: 2 round trips, as an ordinary start.")]
    public async Task G1_StartThatMustEnrol_IsTwoRoundTrips()
    {
        var node = StartNode("enrol-round-trips");
        await node.Resolver.ResolveAsync(NewTenant(), 1);
        var tenant = NewTenant();
        await node.RegisterAccountsAsync(tenant, 1, 1);
        Assert.That((await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), TwoFactorSetting.Allowed(FactorTypes.Totp))).Succeeded, Is.True);
        Assert.That(await node.Provider.GetRequiredService<Navixy.TwoFactor.Totp.ITwoFactorEnrollmentPeriods>().SetPeriodAsync(tenant, TimeSpan.FromDays(7)), Is.True);

        var first = await node.RoundTrips.CountAsync(async () =>
            Assert.That((await node.Challenges.StartAsync(tenant, 1)).Outcome, Is.EqualTo(ChallengeStartOutcome.EnrollNow)));
        var again = await node.RoundTrips.CountAsync(async () =>
            Assert.That((await node.Challenges.StartAsync(tenant, 1)).Outcome, Is.EqualTo(ChallengeStartOutcome.EnrollNow)));

        Assert.That((first, again), Is.EqualTo(((2L, 2L), (2L, 2L))));
    }

    private async Task<(TestNode Node, TenantId Tenant, string Token)> RememberedAsync()
    {
        var node = StartNode("device-round-trips");
        await node.Resolver.ResolveAsync(NewTenant(), 1);
        var tenant = NewTenant();
        await node.RegisterAccountsAsync(tenant, 1, 1);
        Assert.That((await node.Settings.UpdateAsync(tenant, SettingsTarget.Selected(1), TwoFactorSetting.Allowed(FactorTypes.Email))).Succeeded, Is.True);
        var devices = node.Provider.GetRequiredService<ITwoFactorRememberedDevices>();
        Assert.That(await devices.SetRememberPeriodAsync(tenant, TimeSpan.FromDays(30)), Is.True);
        var started = await node.Challenges.StartAsync(tenant, 1);
        Assert.That((await node.Challenges.VerifyAsync(tenant, started.Token, node.Sender.LastCode(tenant, 1))).Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        var remembered = await devices.RememberAsync(tenant, 1, started.Token);
        Assert.That(remembered.Succeeded, Is.True, remembered.ToString());
        return (node, tenant, remembered.Token!);
    }
}
