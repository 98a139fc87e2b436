using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Devices;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Specification;

/// <summary>
/// Remembered devices across a key rotation (security.md items 36 and 37, policy.md D2): a device token names the key it is
/// hashed with, so it outlives a change of the primary key while that key stays in the ring, and is ignored and audited
/// once the key is removed. The stores must share remembered devices between the engines of a fixture.
/// </summary>
public abstract partial class TotpStoreSpecification
{
    private static readonly TimeSpan RememberPeriod = TimeSpan.FromDays(30);

    [Test]
    [Description("security.md item 36, D2: a device remembered under the old primary is honoured after a new primary while the old key is kept; once it is removed the token is ignored (the start goes on) and audited, and a device remembered under the new key is honoured")]
    public async Task KeyRotation_DeviceRememberedUnderOldKey_HonouredWhileKept_IgnoredAndAuditedOnceRemoved()
    {
        var time = new FakeTimeProvider(Epoch);
        using var before = CreateEngine(time);
        var tenant = NewTenant();
        await AddAccountAsync(before, tenant, 7, FactorTypes.Email);
        Assert.That(await Devices(before).SetRememberPeriodAsync(tenant, RememberPeriod), Is.True);
        var oldToken = await RememberWithEmailAsync(before, tenant, 7);

        using var rotated = CreateEngine(time, NewPrimary);
        time.Advance(TimeSpan.FromMinutes(1));
        var keptOldKey = await rotated.Challenges.StartAsync(tenant, 7, oldToken);
        var newToken = await RememberWithEmailAsync(rotated, tenant, 7);

        var events = new RecordingEvents();
        using var after = CreateEngine(time, o =>
        {
            o.KeyMaterial = null;
            NewPrimary(o);
        }, services => services.AddSingleton<ITwoFactorAuditSink>(events));
        time.Advance(TimeSpan.FromMinutes(1));
        var removedOldKey = await after.Challenges.StartAsync(tenant, 7, oldToken);
        var underNewKey = await after.Challenges.StartAsync(tenant, 7, newToken);

        Assert.That(keptOldKey.Reason, Is.EqualTo(NotRequiredReason.RememberedDevice), "the old key is kept");
        Assert.That(removedOldKey.Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "ignored: the start goes on as without it");
        Assert.That(underNewKey.Reason, Is.EqualTo(NotRequiredReason.RememberedDevice));
        var deviceEvents = events.Events
            .Where(e => e.Kind is TwoFactorAuditEventKind.RememberedDeviceIgnored or TwoFactorAuditEventKind.RememberedDeviceAccepted)
            .Select(e => (e.Kind, e.Tenant, e.PrincipalId));
        Assert.That(
            deviceEvents,
            Is.EqualTo(new[] { (TwoFactorAuditEventKind.RememberedDeviceIgnored, tenant, (long?)7), (TwoFactorAuditEventKind.RememberedDeviceAccepted, tenant, (long?)7) }),
            "the ignored token is audited");
    }

    /// <summary>The remembered-device service of an engine.</summary>
    protected static ITwoFactorRememberedDevices Devices(Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return engine.Provider.GetRequiredService<ITwoFactorRememberedDevices>();
    }

    /// <summary>Passes an email second step (the principal's send cooldown must be over) and remembers the device; answers its token.</summary>
    protected static async Task<string> RememberWithEmailAsync(Engine engine, TenantId tenant, long principalId)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var started = await engine.Challenges.StartWithFactorAsync(tenant, principalId, FactorTypes.Email);
        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Started), started.ToString());
        Assert.That((await engine.Challenges.VerifyAsync(tenant, started.Token, engine.Sender.LastCode(tenant, principalId))).IsPassed, Is.True);
        var remembered = await Devices(engine).RememberAsync(tenant, principalId, started.Token);
        Assert.That(remembered.Outcome, Is.EqualTo(RememberDeviceOutcome.Remembered), remembered.ToString());
        return remembered.Token!;
    }

    /// <summary>The audit events an engine raised, in order.</summary>
    private sealed class RecordingEvents : ITwoFactorAuditSink
    {
        private readonly ConcurrentQueue<TwoFactorAuditEvent> _events = new();

        public IReadOnlyList<TwoFactorAuditEvent> Events => [.. _events];

        public ValueTask WriteAsync(TwoFactorAuditEvent auditEvent, CancellationToken cancellationToken)
        {
            _events.Enqueue(auditEvent);
            return ValueTask.CompletedTask;
        }
    }
}
