using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Specification;

/// <summary>
/// Base of the specifications of policy.md §6 that this suite holds every store to (the audit trail, remembered devices):
/// an engine with a recording sender, a settable actor, the shared key, and helpers that pass a second step.
/// </summary>
public abstract class PolicyOverTimeSpecification : StoreSpecification
{
    /// <summary>Key material every engine of the suite shares (32 bytes, base64).</summary>
    protected static readonly string SharedKeyMaterial = Convert.ToBase64String(Enumerable.Range(131, 32).Select(i => (byte)i).ToArray());

    /// <summary>When every engine's clock starts.</summary>
    protected static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The per-principal send cooldown (C9): the clock moves on this much before each email start.</summary>
    protected static readonly TimeSpan SendCooldown = TimeSpan.FromMinutes(1);

    /// <summary>Email or an authenticator app.</summary>
    protected static readonly TwoFactorSetting EmailOrApp = TwoFactorSetting.Allowed(FactorTypes.Email | FactorTypes.Totp);

    /// <summary>Email only.</summary>
    protected static readonly TwoFactorSetting EmailOnly = TwoFactorSetting.Allowed(FactorTypes.Email);

    /// <summary>Builds an engine with the stores under test; <paramref name="options"/> runs after the suite's own.</summary>
    protected Engine CreateEngine(FakeTimeProvider? time = null, Action<TwoFactorOptions>? options = null)
    {
        time ??= new FakeTimeProvider(Epoch);
        var sender = new RecordingEmailSender();
        var actor = new SettableActor();
        var events = new RecordingAuditSink();
        var provider = CreateProvider(time, services =>
        {
            services.AddSingleton<IEmailCodeSender>(sender);
            services.AddSingleton<ITwoFactorAuditSink>(events);
            services.AddSingleton<ITwoFactorActorAccessor>(actor);
            services.Configure<TwoFactorOptions>(o =>
            {
                o.KeyMaterial = SharedKeyMaterial;
                o.Totp.RecoveryCodeIterations = TotpOptions.MinRecoveryCodeIterations;
                o.Challenges.PrincipalLockoutThreshold = 3;
                options?.Invoke(o);
            });
        });
        return new Engine(provider, time, sender, actor, events);
    }

    /// <summary>Registers an account with the given setting (email or an authenticator app by default).</summary>
    protected static async Task RegisterAccountAsync(Engine engine, TenantId tenant, long accountId, TwoFactorSetting? setting = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var registered = await engine.Directory.RegisterAccountAsync(tenant, accountId);
        Assert.That(registered.Succeeded, Is.True, registered.ToString());
        var updated = await engine.Settings.UpdateAsync(tenant, SettingsTarget.Selected(accountId), setting ?? EmailOrApp);
        Assert.That(updated.Succeeded, Is.True, updated.ToString());
    }

    /// <summary>Passes an email second step (after the send cooldown); answers its challenge token.</summary>
    protected static async Task<string> PassWithEmailAsync(Engine engine, TenantId tenant, long principalId)
    {
        ArgumentNullException.ThrowIfNull(engine);
        engine.Time.Advance(SendCooldown);
        var started = await engine.Challenges.StartWithFactorAsync(tenant, principalId, FactorTypes.Email);
        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Started), $"principal {principalId}: {started}");
        var verified = await engine.Challenges.VerifyAsync(tenant, started.Token, engine.Sender.LastCode(tenant, principalId));
        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed), $"principal {principalId}: {verified}");
        return started.Token!;
    }

    /// <summary>Enrols an authenticator app for the principal (with step-up by an email pass); answers the app.</summary>
    protected static async Task<TestAuthenticator> EnrolAsync(Engine engine, TenantId tenant, long principalId)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var stepUp = await PassWithEmailAsync(engine, tenant, principalId);
        var begun = await engine.Enrollment.BeginAsync(tenant, principalId, "Fleet", "driver", stepUp);
        Assert.That(begun.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Begun), begun.ToString());
        var app = TestAuthenticator.From(begun);
        var confirmed = await engine.Enrollment.ConfirmAsync(tenant, principalId, app.CodeAt(engine.Time.GetUtcNow()));
        Assert.That(confirmed.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed), confirmed.ToString());
        return app;
    }

    /// <summary>The actor the host names; tests set it before each change.</summary>
    protected sealed class SettableActor : ITwoFactorActorAccessor
    {
        public TwoFactorActor Actor { get; set; } = new("admin:1");
    }

    /// <summary>The audit events an engine raised, in order.</summary>
    protected sealed class RecordingAuditSink : ITwoFactorAuditSink
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<TwoFactorAuditEvent> _events = new();

        public IReadOnlyList<TwoFactorAuditEvent> Events => [.. _events];

        public ValueTask WriteAsync(TwoFactorAuditEvent auditEvent, CancellationToken cancellationToken)
        {
            _events.Enqueue(auditEvent);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>One engine instance: its provider, clock, sender, actor, audit events and services.</summary>
    protected sealed class Engine(ServiceProvider provider, FakeTimeProvider time, RecordingEmailSender sender, SettableActor actor, RecordingAuditSink events) : IDisposable
    {
        public RecordingAuditSink Events { get; } = events;

        public FakeTimeProvider Time { get; } = time;

        public RecordingEmailSender Sender { get; } = sender;

        public SettableActor Actor { get; } = actor;

        public ServiceProvider Provider { get; } = provider;

        public ITwoFactorChallenges Challenges => Provider.GetRequiredService<ITwoFactorChallenges>();

        public ITotpEnrollment Enrollment => Provider.GetRequiredService<ITotpEnrollment>();

        public ITwoFactorDirectory Directory => Provider.GetRequiredService<ITwoFactorDirectory>();

        public ITwoFactorSettings Settings => Provider.GetRequiredService<ITwoFactorSettings>();

        public ITwoFactorAdministration Administration => Provider.GetRequiredService<ITwoFactorAdministration>();

        public ITwoFactorAuditTrail AuditTrail => Provider.GetRequiredService<ITwoFactorAuditTrail>();

        public void Dispose() => Provider.Dispose();
    }
}
