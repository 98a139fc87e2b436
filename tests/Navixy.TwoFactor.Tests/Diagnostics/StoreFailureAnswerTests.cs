using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Devices;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Specification;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.AuditTrail;
using Navixy.TwoFactor.Stores.Devices;
using Navixy.TwoFactor.Stores.EnrollmentPeriods;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Tests.Diagnostics;

/// <summary>
/// README "What done means": a store failure is the documented failure result on every public API that answers results.
/// For every method of every public service the engine is wired over stores that fail on every call (one proxy behind every
/// store interface), and the call must answer its documented failure value, logged once, and never throw; the few methods
/// documented to throw the store's exception (the resolvers, the audit purge) must do exactly that. A public method without
/// a case fails <see cref="EveryPublicServiceMethod_HasACase"/>.
/// </summary>
[Description("README: a store failure is the documented failure result on every API that answers results")]
public class StoreFailureAnswerTests
{
    /// <summary>The public services a host resolves; each public method of each needs a case.</summary>
    private static readonly Type[] Services =
    [
        typeof(ITwoFactorChallenges), typeof(ITwoFactorStepUp), typeof(ITotpEnrollment), typeof(ITwoFactorEnrollmentPeriods),
        typeof(ITwoFactorRememberedDevices), typeof(ITwoFactorSettings), typeof(ITwoFactorDirectory), typeof(ITwoFactorResolver),
        typeof(ITwoFactorBulkResolver), typeof(ITwoFactorAdministration), typeof(ITwoFactorAuditTrail), typeof(ITwoFactorKeyRotation),
    ];

    /// <summary>How the failing stores fail: by a faulted task (as an I/O store does) or by throwing before any task.</summary>
    public enum FailureMode
    {
        FaultedTask,
        Synchronous,
    }

    /// <summary>Every store interface the engine may ask, so that every optional capability is found and fails too.</summary>
    public interface IEveryStore :
        IPrincipalPolicyStore, IPrincipalStartStore, IPrincipalDirectoryStore, ISettingsStore, IScheduledSettingsStore,
        IChallengeStore, IChallengeAttemptStore, IChallengeRecordStore, IPrincipalLockoutReader, IAuditedPrincipalReset,
        ITotpEnrollmentStore, IRecoveryCodeStore, IAuditedAuthenticatorStore, ITotpSecretRewrapStore,
        IRememberedDeviceStore, IEnrollmentPeriodStore, IAuditTrailStore
    {
    }

    private static IEnumerable<TestCaseData> Cases() =>
        from c in FailureCase.All
        from mode in Enum.GetValues<FailureMode>()
        select new TestCaseData(c, mode).SetName($"{c.Key} [{mode}]");

    [Test]
    public void EveryPublicServiceMethod_HasACase()
    {
        var methods = Services.SelectMany(s => s.GetMethods().Select(FailureCase.KeyOf)).ToHashSet();
        var cases = FailureCase.All.Select(c => c.Key).ToHashSet();

        Assert.That(methods.Except(cases), Is.Empty, "public methods without a store-failure case: add one to FailureCase.All");
        Assert.That(cases.Except(methods), Is.Empty, "cases naming no public method");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task StoreFailure_AnswersTheDocumentedFailure_LoggedOnce(FailureCase failure, FailureMode mode)
    {
        using var engine = Build(mode, cancelled: false);

        if (failure.Throws)
        {
            Assert.That(async () => await failure.Call(engine.Provider, CancellationToken.None), Throws.InstanceOf(failure.Documented!), "documented to throw");
            return;
        }

        var answer = await failure.Call(engine.Provider, CancellationToken.None);

        Assert.That(failure.IsFailure(answer), Is.True, $"answered {answer ?? "null"}, not the documented failure");
        Assert.That(engine.Logs.Entries.Count(e => e.EventId.Id == 5), Is.EqualTo(1), "the store failure is logged once");
        Assert.That(engine.Logs.Entries.Single(e => e.EventId.Id == 5).Exception, Is.InstanceOf<StoreDownException>());
    }

    [TestCaseSource(nameof(Cases))]
    public void CallersOwnCancellation_StillThrows(FailureCase failure, FailureMode mode)
    {
        using var engine = Build(mode, cancelled: true);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.That(
            async () => await failure.Call(engine.Provider, cancellation.Token),
            Throws.InstanceOf<OperationCanceledException>().Or.InstanceOf(failure.Documented ?? typeof(OperationCanceledException)));
    }

    private static Engine Build(FailureMode mode, bool cancelled)
    {
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSingleton<IEmailCodeSender>(new RecordingEmailSender());
        services.AddNavixyTwoFactor(o => o.KeyMaterial = Convert.ToBase64String(new byte[32]));
        var store = FailingStore.Create(mode, cancelled);
        foreach (var type in typeof(IEveryStore).GetInterfaces().Where(i => i.Name.EndsWith("Store", StringComparison.Ordinal)))
        {
            services.RemoveAll(type);
            services.AddSingleton(type, store);
        }
        return new Engine(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }), logs);
    }

    private sealed record Engine(ServiceProvider Provider, CapturingLoggerProvider Logs) : IDisposable
    {
        public void Dispose() => Provider.Dispose();
    }

    /// <summary>What a failing store throws: not an exception the engine could mistake for anything but a store failure.</summary>
    public sealed class StoreDownException() : Exception("the store is down");

    /// <summary>One proxy behind every store interface: every call fails, by a faulted task or at once.</summary>
    public class FailingStore : DispatchProxy
    {
        private FailureMode _mode;
        private bool _cancelled;

        public static IEveryStore Create(FailureMode mode, bool cancelled)
        {
            var store = DispatchProxy.Create<IEveryStore, FailingStore>();
            var proxy = (FailingStore)(object)store;
            proxy._mode = mode;
            proxy._cancelled = cancelled;
            return store;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            var token = args?.OfType<CancellationToken>().FirstOrDefault() ?? CancellationToken.None;
            Exception failure = _cancelled && token.IsCancellationRequested ? new OperationCanceledException(token) : new StoreDownException();
            var type = targetMethod.ReturnType;
            if (_mode == FailureMode.Synchronous || !typeof(Task).IsAssignableFrom(type) && !type.Name.StartsWith("ValueTask", StringComparison.Ordinal))
            {
                throw failure;
            }

            if (type == typeof(Task))
            {
                return Task.FromException(failure);
            }

            if (type == typeof(ValueTask))
            {
                return new ValueTask(Task.FromException(failure));
            }

            var result = type.GetGenericArguments()[0];
            var faulted = typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!.MakeGenericMethod(result).Invoke(null, [failure])!;
            return type.GetGenericTypeDefinition() == typeof(Task<>) ? faulted : Activator.CreateInstance(type, faulted);
        }
    }
}
