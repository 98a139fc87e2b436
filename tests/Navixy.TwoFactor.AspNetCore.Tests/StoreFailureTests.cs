using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.AuditTrail;
using Navixy.TwoFactor.Stores.Devices;
using Navixy.TwoFactor.Stores.EnrollmentPeriods;

namespace Navixy.TwoFactor.AspNetCore.Tests;

/// <summary>
/// README "What done means": a store failure behind any endpoint answers Navixy's error 1 ("Database error.", no details),
/// never a raw 500 with a stack trace, on the login calls and on the panel calls old and new alike.
/// </summary>
public sealed class StoreFailureTests
{
    [TestCase("panel/user/mfa/settings/read", """{"user_id": 101}""")]
    [TestCase("panel/user/mfa/settings/update", """{"target": {"type": "all"}, "settings": {"type": "allowed", "factor_types": ["email"]}}""")]
    [TestCase("panel/user/mfa/settings/default/read", "{}")]
    [TestCase("panel/user/mfa/remember_period/read", "{}")]
    [TestCase("panel/user/mfa/remember_period/update", """{"seconds": 3600}""")]
    [TestCase("panel/user/mfa/enrollment_period/read", "{}")]
    [TestCase("panel/user/mfa/enrollment_period/update", """{"seconds": 3600}""")]
    [TestCase("panel/user/mfa/settings/scheduled/list", "{}")]
    [TestCase("panel/user/mfa/settings/scheduled/cancel", """{"id": 1}""")]
    [TestCase("panel/user/mfa/audit/list", "{}")]
    [TestCase("user/auth", """{"login": "fleet@acme.example", "password": "fleet-pass"}""")]
    [Description("A store failure behind an endpoint is error 1 without details, never a 500 with a stack trace.")]
    public async Task StoreFailure_BehindAnEndpoint_IsError1WithoutDetails(string path, string body)
    {
        var stores = new SwitchableStores();
        await using var app = await TestApp.StartAsync(before: b => stores.Register(b.Services));
        var panel = app.PanelHash(TestApp.Acme);
        stores.Down = true;

        var answer = await app.PostRawAsync(path, body, path.StartsWith("panel/", StringComparison.Ordinal) ? panel : null);

        Assert.That(answer.Code, Is.EqualTo(1), answer.Text);
        Assert.That(answer.Description, Is.EqualTo("Database error."));
        Assert.That(answer.Text, Does.Not.Contain("Exception").And.Not.Contain("store is down"));
        Assert.That(stores.Calls, Is.GreaterThan(0), "the call reached a store");
    }

    /// <summary>The policy store's interfaces, scheduling included, as the in-memory policy store offers them.</summary>
    public interface IPolicyStores : IPrincipalPolicyStore, IPrincipalDirectoryStore, ISettingsStore, IScheduledSettingsStore
    {
    }

    /// <summary>
    /// The in-memory stores behind one proxy per store interface: calls go through while <see cref="Down"/> is false (the
    /// app seeds its users), and fail with a faulted task once it is true.
    /// </summary>
    private sealed class SwitchableStores
    {
        /// <summary>Each proxy's interface, the store interface its inner store is resolved by, and the services it stands for.</summary>
        private static readonly (Type Proxy, Type Inner, Type[] Services)[] Stores =
        [
            (typeof(IPolicyStores), typeof(IPrincipalPolicyStore), [typeof(IPrincipalPolicyStore), typeof(IPrincipalDirectoryStore), typeof(ISettingsStore)]),
            (typeof(IChallengeStore), typeof(IChallengeStore), [typeof(IChallengeStore)]),
            (typeof(ITotpEnrollmentStore), typeof(ITotpEnrollmentStore), [typeof(ITotpEnrollmentStore)]),
            (typeof(IRecoveryCodeStore), typeof(IRecoveryCodeStore), [typeof(IRecoveryCodeStore)]),
            (typeof(IRememberedDeviceStore), typeof(IRememberedDeviceStore), [typeof(IRememberedDeviceStore)]),
            (typeof(IEnrollmentPeriodStore), typeof(IEnrollmentPeriodStore), [typeof(IEnrollmentPeriodStore)]),
            (typeof(IAuditTrailStore), typeof(IAuditTrailStore), [typeof(IAuditTrailStore)]),
        ];

        private readonly ServiceProvider _inner = new ServiceCollection().AddNavixyTwoFactor().UseInMemoryStores().Services.BuildServiceProvider();

        public bool Down { get; set; }

        public int Calls;

        public void Register(IServiceCollection services)
        {
            foreach (var (proxyType, innerType, serviceTypes) in Stores)
            {
                var proxy = (object)typeof(DispatchProxy).GetMethod(nameof(DispatchProxy.Create), 2, Type.EmptyTypes)!
                    .MakeGenericMethod(proxyType, typeof(Forwarder)).Invoke(null, null)!;
                ((Forwarder)proxy).Init(this, _inner.GetRequiredService(innerType));
                foreach (var type in serviceTypes)
                {
                    services.RemoveAll(type);
                    services.AddSingleton(type, proxy);
                }
            }
        }

        public class Forwarder : DispatchProxy
        {
            private SwitchableStores? _owner;
            private object? _inner;

            public void Init(SwitchableStores owner, object inner) => (_owner, _inner) = (owner, inner);

            protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
            {
                ArgumentNullException.ThrowIfNull(targetMethod);
                if (!_owner!.Down)
                {
                    return targetMethod.Invoke(_inner, args);
                }

                Interlocked.Increment(ref _owner.Calls);
                var failure = new InvalidOperationException("the store is down");
                var type = targetMethod.ReturnType;
                if (!type.IsGenericType)
                {
                    return type == typeof(ValueTask) ? new ValueTask(Task.FromException(failure)) : Task.FromException(failure);
                }

                var faulted = typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!
                    .MakeGenericMethod(type.GetGenericArguments()[0]).Invoke(null, [failure])!;
                return type.GetGenericTypeDefinition() == typeof(Task<>) ? faulted : Activator.CreateInstance(type, faulted);
            }
        }
    }
}
