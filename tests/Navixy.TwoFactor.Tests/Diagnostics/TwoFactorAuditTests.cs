using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Tests.Challenges;

namespace Navixy.TwoFactor.Tests.Diagnostics;

public class TwoFactorAuditTests
{
    [Test]
    public async Task Login_WithWrongCodeResendAndReplay_RaisesEachEventWithTenantPrincipalAndTime()
    {
        var sink = new RecordingSink();
        using var host = await ChallengeTestHost.CreateAsync(services => services.AddSingleton<ITwoFactorAuditSink>(sink));
        sink.Clear(); // drop the settings change that set the account up
        var (token, code) = await host.StartAsync();
        await host.Challenges.VerifyAsync(host.Tenant, token, ChallengeTestHost.WrongCode(code));
        await host.Challenges.ResendAsync(host.Tenant, token);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        await host.Challenges.ResendAsync(host.Tenant, token);
        var newCode = host.Sender.LastCode(host.Tenant, ChallengeTestHost.Account);
        await host.Challenges.VerifyAsync(host.Tenant, token, newCode);
        await host.Challenges.VerifyAsync(host.Tenant, token, newCode);

        Assert.That(sink.Kinds, Is.EqualTo(new[]
        {
            TwoFactorAuditEventKind.ChallengeStarted,
            TwoFactorAuditEventKind.CodeSent,
            TwoFactorAuditEventKind.WrongCode,
            TwoFactorAuditEventKind.ResendRefused,
            TwoFactorAuditEventKind.CodeResent,
            TwoFactorAuditEventKind.CodeSent,
            TwoFactorAuditEventKind.Passed,
            TwoFactorAuditEventKind.Replayed,
        }));
        Assert.That(sink.Events.Select(e => e.Tenant), Is.All.EqualTo(host.Tenant));
        Assert.That(sink.Events.Select(e => e.PrincipalId), Is.All.EqualTo(ChallengeTestHost.Account));
        Assert.That(sink.Events[0].Timestamp, Is.EqualTo(ChallengeTestHost.Epoch));
        Assert.That(sink.Events[^1].Timestamp, Is.EqualTo(ChallengeTestHost.Epoch + TimeSpan.FromMinutes(1)));
        Assert.That(sink.Events[2].AttemptsLeft, Is.EqualTo(4));
    }

    [Test]
    public async Task Failures_RaiseLockoutExpiryUnknownAndInvalidEvents()
    {
        var sink = new RecordingSink();
        using var host = await ChallengeTestHost.CreateAsync(services => services.AddSingleton<ITwoFactorAuditSink>(sink));
        sink.Clear(); // drop the settings change that set the account up
        for (var challenge = 0; challenge < 2; challenge++)
        {
            var (token, code) = await host.StartAsync();
            for (var i = 0; i < 5; i++)
            {
                await host.Challenges.VerifyAsync(host.Tenant, token, ChallengeTestHost.WrongCode(code));
            }

            await host.Challenges.VerifyAsync(host.Tenant, token, code);
        }

        await host.Challenges.StartAsync(host.Tenant, ChallengeTestHost.Account);
        host.Time.Advance(TimeSpan.FromMinutes(15));
        var (expiring, expiringCode) = await host.StartAsync();
        host.Time.Advance(TimeSpan.FromMinutes(5));
        await host.Challenges.VerifyAsync(host.Tenant, expiring, expiringCode);
        await host.Challenges.VerifyAsync(host.Tenant, ChallengeToken.Create(FactorTypes.Email), "123456");
        await host.Challenges.VerifyAsync(host.Tenant, "garbage", "123456");
        await host.Administration.UnlockAsync(host.Tenant, ChallengeTestHost.Account);

        Assert.That(sink.Kinds.Count(k => k == TwoFactorAuditEventKind.WrongCode), Is.EqualTo(10));
        Assert.That(sink.Kinds.Count(k => k == TwoFactorAuditEventKind.ChallengeLocked), Is.EqualTo(2));
        Assert.That(sink.Kinds, Contains.Item(TwoFactorAuditEventKind.LockedChallengeAttempt));
        var locked = sink.Events.Single(e => e.Kind == TwoFactorAuditEventKind.PrincipalLocked);
        Assert.That(locked.LockedUntil, Is.EqualTo(locked.Timestamp + TimeSpan.FromMinutes(15)));
        Assert.That(sink.Kinds, Contains.Item(TwoFactorAuditEventKind.LockedPrincipalAttempt));
        Assert.That(sink.Kinds, Contains.Item(TwoFactorAuditEventKind.Expired));
        Assert.That(sink.Events.Single(e => e.Kind == TwoFactorAuditEventKind.UnknownToken).PrincipalId, Is.Null);
        Assert.That(sink.Kinds, Contains.Item(TwoFactorAuditEventKind.InvalidInput));
        Assert.That(sink.Kinds[^1], Is.EqualTo(TwoFactorAuditEventKind.PrincipalUnlocked));
    }

    [Test]
    public async Task StoreFailure_RaisesStoreFailed()
    {
        var sink = new RecordingSink();
        using var host = await ChallengeTestHost.CreateAsync(services =>
        {
            services.AddSingleton<ITwoFactorAuditSink>(sink);
            services.Replace(ServiceDescriptor.Singleton<IChallengeStore, BrokenStore>());
        });
        sink.Clear(); // drop the settings change that set the account up

        await host.Challenges.VerifyAsync(host.Tenant, ChallengeToken.Create(FactorTypes.Email), "123456");

        Assert.That(sink.Kinds, Is.EqualTo(new[] { TwoFactorAuditEventKind.StoreFailed }));
    }

    [Test]
    public async Task SenderFailure_RaisesDeliveryFailed()
    {
        var sink = new RecordingSink();
        using var host = await ChallengeTestHost.CreateAsync(services => services.AddSingleton<ITwoFactorAuditSink>(sink));
        sink.Clear(); // drop the settings change that set the account up
        host.Sender.Fail = true;

        await host.Challenges.StartAsync(host.Tenant, ChallengeTestHost.Account);

        Assert.That(sink.Kinds, Is.EqualTo(new[] { TwoFactorAuditEventKind.ChallengeStarted, TwoFactorAuditEventKind.CodeDeliveryFailed }));
    }

    [Test]
    public async Task ThrowingSink_NeverChangesTheOutcomeAndLaterSinksStillRun()
    {
        var later = new RecordingSink();
        using var host = await ChallengeTestHost.CreateAsync(services =>
        {
            services.AddNavixyTwoFactor().AddAuditSink<ThrowingSink>();
            services.AddSingleton<ITwoFactorAuditSink>(later);
        });
        var (token, code) = await host.StartAsync();

        var verified = await host.Challenges.VerifyAsync(host.Tenant, token, code);

        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed));
        Assert.That(later.Kinds, Contains.Item(TwoFactorAuditEventKind.Passed));
        Assert.That(host.Logs.Entries.Where(e => e.EventId.Id == 3).Select(e => e.Message), Has.Some.Contains(nameof(ThrowingSink)));
    }

    [Test]
    public async Task SettingsChanges_RaiseSettingsChangedButDryRunsAndRejectionsDoNot()
    {
        var sink = new RecordingSink();
        using var host = await ChallengeTestHost.CreateAsync(services => services.AddSingleton<ITwoFactorAuditSink>(sink));
        var settings = host.Provider.GetRequiredService<ITwoFactorSettings>();
        sink.Clear();

        await settings.UpdateAsync(host.Tenant, SettingsTarget.Selected(ChallengeTestHost.Account), TwoFactorSetting.Disallowed);
        await settings.UpdateAsync(host.Tenant, SettingsTarget.All, TwoFactorSetting.Allowed(FactorTypes.Email));
        await settings.UpdateDefaultAsync(host.Tenant, TwoFactorSetting.Allowed(FactorTypes.Email));
        await settings.EnforceForEveryoneAsync(host.Tenant, TwoFactorSetting.Disallowed);
        await settings.UpdateAsync(host.Tenant, SettingsTarget.All, TwoFactorSetting.Allowed(FactorTypes.Email), dryRun: true);
        await settings.UpdateAsync(host.Tenant, SettingsTarget.Selected(404), TwoFactorSetting.Allowed(FactorTypes.Email));

        Assert.That(sink.Kinds, Is.All.EqualTo(TwoFactorAuditEventKind.SettingsChanged));
        Assert.That(sink.Events.Select(e => e.SettingsScope), Is.EqualTo(new[]
        {
            SettingsChangeScope.SelectedAccounts, SettingsChangeScope.AllAccounts, SettingsChangeScope.Default, SettingsChangeScope.Everyone,
        }));
        Assert.That(sink.Events[0].AccountIds, Is.EqualTo(new[] { ChallengeTestHost.Account }));
        Assert.That(sink.Events[0].Setting, Is.EqualTo(TwoFactorSetting.Disallowed));
        Assert.That(sink.Events[0].ChangedAccounts, Is.EqualTo(1));
        Assert.That(sink.Events.Select(e => e.Tenant), Is.All.EqualTo(host.Tenant));
        Assert.That(sink.Events.Select(e => e.Timestamp), Is.All.EqualTo(ChallengeTestHost.Epoch));
    }

    [Test]
    public async Task Meter_WithHostMeterFactory_CountsEachEventKind()
    {
        using var factory = new TestMeterFactory();
        using var listener = new CountingListener(instrument => ReferenceEquals(instrument.Meter.Scope, factory));
        using var host = await ChallengeTestHost.CreateAsync(services => services.AddSingleton<IMeterFactory>(factory));
        var (token, code) = await host.StartAsync();
        await host.Challenges.VerifyAsync(host.Tenant, token, ChallengeTestHost.WrongCode(code));
        await host.Challenges.VerifyAsync(host.Tenant, token, code);

        Assert.That(factory.Meters.Select(m => m.Name), Is.EqualTo(new[] { "Navixy.TwoFactor" }));
        Assert.That(listener.Count("challenge.started"), Is.EqualTo(1));
        Assert.That(listener.Count("code.sent"), Is.EqualTo(1));
        Assert.That(listener.Count("verify.wrong_code"), Is.EqualTo(1));
        Assert.That(listener.Count("verify.passed"), Is.EqualTo(1));
        Assert.That(listener.InstrumentNames, Is.EquivalentTo(new[] { "navixy.twofactor.events", "navixy.twofactor.operation.duration" }), "one events counter, not one per kind");
    }

    [Test]
    public async Task AdminReset_RaisesTotpResetWithTenantPrincipalAndTime()
    {
        var sink = new RecordingSink();
        using var host = await ChallengeTestHost.CreateAsync(services => services.AddSingleton<ITwoFactorAuditSink>(sink), factors: FactorTypes.Totp);
        await host.EnrolAsync();
        sink.Clear();

        await host.Administration.ResetAsync(host.Tenant, ChallengeTestHost.Account);
        await host.Administration.ResetAsync(host.Tenant, ChallengeTestHost.Account);

        var reset = sink.Events.Single();
        Assert.That(reset.Kind, Is.EqualTo(TwoFactorAuditEventKind.TotpReset), "a reset with nothing to remove raises nothing");
        Assert.That((reset.Tenant, reset.PrincipalId, reset.Factor), Is.EqualTo((host.Tenant, (long?)ChallengeTestHost.Account, FactorTypes.Totp)));
        Assert.That(reset.Timestamp, Is.EqualTo(host.Time.GetUtcNow()));
    }

    [Test]
    public async Task AuthenticatorLogin_EventsInOrderWithTheirFactor()
    {
        var sink = new RecordingSink();
        using var host = await ChallengeTestHost.CreateAsync(services => services.AddSingleton<ITwoFactorAuditSink>(sink), factors: FactorTypes.Totp);
        sink.Clear();
        var begun = await host.Enrollment.BeginAsync(host.Tenant, ChallengeTestHost.Account, "Fleet", "driver");
        var app = Navixy.TwoFactor.Specification.TestAuthenticator.From(begun);
        await host.Enrollment.ConfirmAsync(host.Tenant, ChallengeTestHost.Account, app.WrongCodeAt(host.Time.GetUtcNow()));
        var confirmed = await host.Enrollment.ConfirmAsync(host.Tenant, ChallengeTestHost.Account, app.CodeAt(host.Time.GetUtcNow()));
        host.Time.Advance(ChallengeTestHost.Step);
        var token = await host.StartTokenAsync(FactorTypes.Totp);
        await host.Challenges.VerifyAsync(host.Tenant, token, app.CodeAt(host.Time.GetUtcNow()));
        var second = await host.StartTokenAsync(FactorTypes.Totp);
        await host.Challenges.VerifyAsync(host.Tenant, second, app.CodeAt(host.Time.GetUtcNow()));
        await host.Challenges.VerifyAsync(host.Tenant, second, "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ");
        await host.Challenges.VerifyAsync(host.Tenant, second, confirmed.RecoveryCodes[0]);
        await host.Enrollment.RegenerateRecoveryCodesAsync(host.Tenant, ChallengeTestHost.Account, null);
        await host.Enrollment.DisableAsync(host.Tenant, ChallengeTestHost.Account, token);
        await host.Challenges.StartAsync(host.Tenant, ChallengeTestHost.Account);

        Assert.That(sink.Kinds, Is.EqualTo(new[]
        {
            TwoFactorAuditEventKind.TotpEnrollmentBegun,
            TwoFactorAuditEventKind.TotpConfirmationFailed,
            TwoFactorAuditEventKind.TotpEnrollmentConfirmed,
            TwoFactorAuditEventKind.ChallengeStarted,
            TwoFactorAuditEventKind.Passed,
            TwoFactorAuditEventKind.ChallengeStarted,
            TwoFactorAuditEventKind.TotpReplayRefused, // C5: a copy of a used code is no wrong attempt
            TwoFactorAuditEventKind.RecoveryCodeRejected,
            TwoFactorAuditEventKind.WrongCode,
            TwoFactorAuditEventKind.RecoveryCodeUsed,
            TwoFactorAuditEventKind.Passed,
            TwoFactorAuditEventKind.StepUpRefused,
            TwoFactorAuditEventKind.StepUpAccepted,
            TwoFactorAuditEventKind.TotpDisabled,
            TwoFactorAuditEventKind.TotpEnrollmentRequired,
        }));
        Assert.That(sink.Events.Select(e => e.Factor), Is.All.EqualTo(FactorTypes.Totp));
        Assert.That(sink.Events.Select(e => e.PrincipalId), Is.All.EqualTo(ChallengeTestHost.Account));
    }

    [Test]
    public async Task Meter_EventsAboutAFactor_CarryTheFactorTag()
    {
        using var factory = new TestMeterFactory();
        using var listener = new CountingListener(instrument => ReferenceEquals(instrument.Meter.Scope, factory));
        using var host = await ChallengeTestHost.CreateAsync(services => services.AddSingleton<IMeterFactory>(factory), factors: FactorTypes.Totp | FactorTypes.Email);
        var (app, _) = await host.EnrolAsync();
        var token = await host.StartTokenAsync(FactorTypes.Totp);
        await host.Challenges.VerifyAsync(host.Tenant, token, app.WrongCodeAt(host.Time.GetUtcNow()));
        await host.Challenges.VerifyAsync(host.Tenant, token, app.CodeAt(host.Time.GetUtcNow()));
        var email = await host.Challenges.StartWithFactorAsync(host.Tenant, ChallengeTestHost.Account, FactorTypes.Email);
        await host.Challenges.VerifyAsync(host.Tenant, email.Token, host.Sender.LastCode(host.Tenant, ChallengeTestHost.Account));

        Assert.That(listener.Count("verify.passed", "totp"), Is.EqualTo(1));
        Assert.That(listener.Count("verify.wrong_code", "totp"), Is.EqualTo(1));
        Assert.That(listener.Count("verify.passed", "email"), Is.EqualTo(2), "the step-up before enrolling (T4) and the login");
        Assert.That(listener.Count("totp.enrollment_confirmed"), Is.EqualTo(1));
    }

    [Test]
    public async Task Meter_WithoutMeterFactory_UsesTheSharedNavixyTwoFactorMeter()
    {
        using var listener = new CountingListener(instrument => instrument.Meter.Name == "Navixy.TwoFactor" && instrument.Meter.Scope is null);
        using var host = await ChallengeTestHost.CreateAsync();
        var before = listener.Count("challenge.started");

        await host.StartAsync();

        Assert.That(listener.Count("challenge.started"), Is.EqualTo(before + 1));
    }

    private sealed class RecordingSink : ITwoFactorAuditSink
    {
        private readonly ConcurrentQueue<TwoFactorAuditEvent> _events = new();

        public IReadOnlyList<TwoFactorAuditEvent> Events => [.. _events];

        public IReadOnlyList<TwoFactorAuditEventKind> Kinds => [.. _events.Select(e => e.Kind)];

        public ValueTask WriteAsync(TwoFactorAuditEvent auditEvent, CancellationToken cancellationToken)
        {
            _events.Enqueue(auditEvent);
            return default;
        }

        public void Clear() => _events.Clear();
    }

    private sealed class ThrowingSink : ITwoFactorAuditSink
    {
        public ValueTask WriteAsync(TwoFactorAuditEvent auditEvent, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The audit database is down.");
    }

    internal sealed class BrokenStore : IChallengeStore
    {
        public ValueTask<ChallengeStoreResult> CreateAsync(NewChallenge challenge, ChallengeLimits limits, CancellationToken cancellationToken) => throw new TimeoutException();

        public ValueTask<ChallengeStoreResult> VerifyAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) => throw new TimeoutException();

        public ValueTask<ChallengeStoreResult> ReplaceCodeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, DateTimeOffset codeExpiresAt, DateTimeOffset nextResendAt, ChallengeLimits limits, CancellationToken cancellationToken) => throw new TimeoutException();

        public ValueTask<ChallengeStoreResult> FindAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) => throw new TimeoutException();

        public ValueTask<ChallengeStoreResult> ReserveAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) => throw new TimeoutException();

        public ValueTask<ChallengeStoreResult> SettleAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ChallengeSettlement settlement, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) => throw new TimeoutException();

        public ValueTask<bool> RemovePrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) => throw new TimeoutException();

        public ValueTask<bool> RedeemStepUpAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, long principalId, DateTimeOffset passedAfter, DateTimeOffset now, CancellationToken cancellationToken) => throw new TimeoutException();

        public ValueTask<ChallengeStoreResult> RecordFailureAsync(TenantId tenant, long principalId, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken) => throw new TimeoutException();

        public ValueTask<bool> RevokeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, CancellationToken cancellationToken) => throw new TimeoutException();

        public ValueTask<bool> ResetPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) => throw new TimeoutException();

        public ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) => throw new TimeoutException();
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public IReadOnlyList<Meter> Meters => _meters;

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }
        }
    }

    private sealed class CountingListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, byte> _instruments = new();
        private readonly ConcurrentDictionary<string, long> _counts = new();
        private readonly ConcurrentDictionary<(string, string?), long> _byFactor = new();

        public CountingListener(Func<Instrument, bool> filter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (filter(instrument))
                {
                    _instruments.TryAdd(instrument.Name, 0);
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                string? kind = null;
                string? factor = null;
                foreach (var tag in tags)
                {
                    if (tag.Key == TwoFactorTelemetry.EventTag)
                    {
                        kind = tag.Value as string;
                    }
                    else if (tag.Key == TwoFactorTelemetry.FactorTag)
                    {
                        factor = tag.Value as string;
                    }
                }

                if (kind is not null)
                {
                    _counts.AddOrUpdate(kind, value, (_, old) => old + value);
                    _byFactor.AddOrUpdate((kind, factor), value, (_, old) => old + value);
                }
            });
            _listener.Start();
        }

        public IReadOnlyCollection<string> InstrumentNames => [.. _instruments.Keys];

        /// <summary>Events of a kind, by its tag value (e.g. <c>verify.passed</c>).</summary>
        public long Count(string kind) => _counts.GetValueOrDefault(kind);

        public long Count(string kind, string factor) => _byFactor.GetValueOrDefault((kind, factor));

        public void Dispose() => _listener.Dispose();
    }
}
