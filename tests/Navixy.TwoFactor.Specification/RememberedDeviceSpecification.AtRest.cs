using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores.Devices;

namespace Navixy.TwoFactor.Specification;

/// <summary>Remembered devices at rest and with scheduled settings changes (policy.md D1, D2 with S11; security.md item 37).</summary>
public abstract partial class RememberedDeviceSpecification
{
    [Test]
    [Description("D1 The store is given only a 32-byte keyed hash of a device token: never the token, its bytes or an unkeyed SHA-256 of either.")]
    public async Task D1_TheStoreHoldsOnlyAKeyedHashOfTheToken()
    {
        using var engine = CreateEngine();
        var (tenant, token) = await RememberedAsync(engine, 7);

        var records = await engine.Provider.GetRequiredService<IRememberedDeviceStore>().ListAsync(tenant, 7, CancellationToken.None);

        var record = records.Single();
        var ascii = Encoding.ASCII.GetBytes(token);
        var raw = Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + "=");
        Assert.That(record.TokenHash, Has.Length.EqualTo(32));
        foreach (var plain in new[] { ascii, raw, SHA256.HashData(ascii), SHA256.HashData(raw) })
        {
            Assert.That(record.TokenHash.AsSpan().IndexOf(plain.AsSpan(0, Math.Min(plain.Length, 16))), Is.EqualTo(-1), "no run of the token or of an unkeyed hash");
        }

        Assert.That(record.Label, Is.EqualTo("Firefox"));
        Assert.That($"{record.DeviceId}|{record.Label}", Does.Not.Contain(token));
    }

    [Test]
    [Description("D2 S11 A scheduled settings change voids a token from its moment on (not before) when it applies to the principal's account; one for another account leaves it valid.")]
    public async Task D2_ScheduledSettingsChange_VoidsTheTokenFromItsMoment()
    {
        using var engine = CreateEngine();
        var (tenant, token) = await RememberedAsync(engine, 7);
        await RegisterAccountAsync(engine, tenant, 8);
        var now = engine.Time.GetUtcNow();

        var other = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(8), EmailOnly, effectiveFrom: now.AddMinutes(30));
        var own = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(7), EmailOnly, effectiveFrom: now.AddHours(1));
        Assert.That(other.Scheduled, Is.Not.Null, other.ToString());
        Assert.That(own.Scheduled, Is.Not.Null, own.ToString());

        engine.Time.Advance(TimeSpan.FromMinutes(45));
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, token)).Reason, Is.EqualTo(NotRequiredReason.RememberedDevice), "another account's change came due; its own is still pending");
        engine.Time.Advance(TimeSpan.FromMinutes(15));
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, token)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "from its moment, before any write folded it in");
        Assert.That((await engine.Directory.RegisterAccountAsync(tenant, 9)).Succeeded, Is.True);
        engine.Time.Advance(SendCooldown);
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, token)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "and after it was folded in");

        var fresh = await RememberAsync(engine, tenant, 7);
        Assert.That((await engine.Settings.EnforceForEveryoneAsync(tenant, EmailOrApp, effectiveFrom: engine.Time.GetUtcNow().AddHours(1))).Scheduled, Is.Not.Null);
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, fresh)).Reason, Is.EqualTo(NotRequiredReason.RememberedDevice), "a pending enforcement changes nothing yet");
        engine.Time.Advance(TimeSpan.FromHours(1));
        Assert.That((await engine.Challenges.StartAsync(tenant, 7, fresh)).Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "enforcement for everyone applies to account 7");
        var events = engine.Events.Events.Where(e => e.Tenant == tenant).Select(e => e.Kind).ToArray();
        Assert.That(events.Count(k => k == TwoFactorAuditEventKind.RememberedDeviceAccepted), Is.EqualTo(2), "every honoured token is an audit event");
        Assert.That(events.Count(k => k == TwoFactorAuditEventKind.RememberedDeviceIgnored), Is.EqualTo(3), "and every void one");
    }
}
