using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Devices;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Tests.Diagnostics;

/// <summary>
/// One public service method with its documented answer to a store failure: a predicate over the answer, or the exception
/// type it is documented to throw. The cases of <see cref="StoreFailureAnswerTests"/>.
/// </summary>
/// <param name="Key">The method, as <see cref="KeyOf"/> names it.</param>
/// <param name="Call">Calls it on the engine with arguments that reach a store.</param>
/// <param name="IsFailure">Whether an answer is the documented failure.</param>
/// <param name="Documented">The exception it is documented to throw instead; <see langword="null"/> for an answer.</param>
public sealed record FailureCase(string Key, Func<IServiceProvider, CancellationToken, Task<object?>> Call, Func<object?, bool> IsFailure, Type? Documented = null)
{
    private static readonly TenantId Tenant = new(42);
    private static readonly string Token = ChallengeToken.Create(FactorTypes.Email);

    public bool Throws => Documented is not null;

    /// <summary>Every case: one a public method of the services the engine registers.</summary>
    public static IReadOnlyList<FailureCase> All { get; } =
    [
        // The login second step and step-up.
        Of<ITwoFactorChallenges, ChallengeStartResult>("StartAsync(TenantId,Int64,CancellationToken)", (s, c) => s.StartAsync(Tenant, 7, c), r => r.Outcome == ChallengeStartOutcome.Failed),
        Of<ITwoFactorChallenges, ChallengeStartResult>("StartAsync(TenantId,Int64,String,CancellationToken)", (s, c) => s.StartAsync(Tenant, 7, Token, c), r => r.Outcome == ChallengeStartOutcome.Failed),
        Of<ITwoFactorChallenges, ChallengeStartResult>("StartWithFactorAsync", (s, c) => s.StartWithFactorAsync(Tenant, 7, FactorTypes.Email, c), r => r.Outcome == ChallengeStartOutcome.Failed),
        Of<ITwoFactorChallenges, ChallengeVerifyResult>("VerifyAsync", (s, c) => s.VerifyAsync(Tenant, Token, "123456", c), r => r.Outcome == ChallengeVerifyOutcome.Failed),
        Of<ITwoFactorChallenges, ChallengeResendResult>("ResendAsync", (s, c) => s.ResendAsync(Tenant, Token, c), r => r.Outcome == ChallengeResendOutcome.Failed),
        Of<ITwoFactorStepUp, StepUpOutcome>("RedeemAsync", (s, c) => s.RedeemAsync(Tenant, 7, Token, c), r => r == StepUpOutcome.Failed),

        // Authenticator enrolment and enrolment periods.
        Of<ITotpEnrollment, TotpEnrollmentBeginResult>("BeginAsync", (s, c) => s.BeginAsync(Tenant, 7, "Fleet", "driver", Token, c), r => r.Outcome == TotpEnrollmentOutcome.Failed),
        Of<ITotpEnrollment, TotpEnrollmentResult>("ConfirmAsync", (s, c) => s.ConfirmAsync(Tenant, 7, "123456", c), r => r.Outcome == TotpEnrollmentOutcome.Failed),
        Of<ITotpEnrollment, TotpEnrollmentStatus?>("GetStatusAsync", (s, c) => s.GetStatusAsync(Tenant, 7, c), r => r is null),
        Of<ITotpEnrollment, TotpEnrollmentResult>("RegenerateRecoveryCodesAsync", (s, c) => s.RegenerateRecoveryCodesAsync(Tenant, 7, Token, c), r => r.Outcome == TotpEnrollmentOutcome.Failed),
        Of<ITotpEnrollment, TotpEnrollmentResult>("DisableAsync", (s, c) => s.DisableAsync(Tenant, 7, Token, c), r => r.Outcome == TotpEnrollmentOutcome.Failed),
        Of<ITwoFactorEnrollmentPeriods, TimeSpan?>("GetPeriodAsync", (s, c) => s.GetPeriodAsync(Tenant, c), r => r is null),
        Of<ITwoFactorEnrollmentPeriods, bool?>("SetPeriodAsync", (s, c) => s.SetPeriodAsync(Tenant, TimeSpan.FromDays(7), c), r => r is null),

        // Remembered devices.
        Of<ITwoFactorRememberedDevices, RememberDeviceResult>("RememberAsync", (s, c) => s.RememberAsync(Tenant, 7, Token, "Firefox", c), r => r.Outcome == RememberDeviceOutcome.Failed),
        Of<ITwoFactorRememberedDevices, IReadOnlyList<RememberedDevice>?>("ListAsync", (s, c) => s.ListAsync(Tenant, 7, c), r => r is null),
        Of<ITwoFactorRememberedDevices, bool?>("ForgetAsync", (s, c) => s.ForgetAsync(Tenant, 7, "device", c), r => r is null),
        Of<ITwoFactorRememberedDevices, int?>("ForgetAllAsync", (s, c) => s.ForgetAllAsync(Tenant, 7, c), r => r is null),
        Of<ITwoFactorRememberedDevices, TimeSpan?>("GetRememberPeriodAsync", (s, c) => s.GetRememberPeriodAsync(Tenant, c), r => r is null),
        Of<ITwoFactorRememberedDevices, bool?>("SetRememberPeriodAsync", (s, c) => s.SetRememberPeriodAsync(Tenant, TimeSpan.FromDays(7), c), r => r is null),

        // Settings and the directory.
        Of<ITwoFactorSettings, AccountSettingResult>("ReadAsync", (s, c) => s.ReadAsync(Tenant, 7, c), r => r.IsFailed),
        Of<ITwoFactorSettings, SettingsUpdateResult>("UpdateAsync", (s, c) => s.UpdateAsync(Tenant, SettingsTarget.Selected(7), TwoFactorSetting.Allowed(FactorTypes.Email), cancellationToken: c), r => r.IsFailed),
        Of<ITwoFactorSettings, TwoFactorSetting?>("ReadDefaultAsync", (s, c) => s.ReadDefaultAsync(Tenant, c), r => r is null),
        Of<ITwoFactorSettings, SettingsUpdateResult>("UpdateDefaultAsync", (s, c) => s.UpdateDefaultAsync(Tenant, TwoFactorSetting.Allowed(FactorTypes.Email), cancellationToken: c), r => r.IsFailed),
        Of<ITwoFactorSettings, SettingsUpdateResult>("EnforceForEveryoneAsync", (s, c) => s.EnforceForEveryoneAsync(Tenant, TwoFactorSetting.Allowed(FactorTypes.Email), effectiveFrom: DateTimeOffset.MaxValue, cancellationToken: c), r => r.IsFailed),
        Of<ITwoFactorSettings, IReadOnlyList<ScheduledChange>?>("ListScheduledAsync", (s, c) => s.ListScheduledAsync(Tenant, c), r => r is null),
        Of<ITwoFactorSettings, SettingsUpdateResult>("CancelScheduledAsync", (s, c) => s.CancelScheduledAsync(Tenant, 1, c), r => r.IsFailed),
        Of<ITwoFactorDirectory, DirectoryResult>("RegisterAccountAsync", (s, c) => s.RegisterAccountAsync(Tenant, 7, cancellationToken: c), r => r.Error == DirectoryErrorCode.StoreFailed),
        Of<ITwoFactorDirectory, DirectoryResult>("RegisterSubUserAsync", (s, c) => s.RegisterSubUserAsync(Tenant, 8, 7, c), r => r.Error == DirectoryErrorCode.StoreFailed),
        Of<ITwoFactorDirectory, DirectoryResult>("RemoveAsync", (s, c) => s.RemoveAsync(Tenant, 7, c), r => r.Error == DirectoryErrorCode.StoreFailed),
        Of<ITwoFactorDirectory, DirectoryPage?>("ListAsync", (s, c) => s.ListAsync(Tenant, cancellationToken: c), r => r is null),

        // Resolution: documented to throw the store's exception (a pure answer has no failure value; start answers Failed).
        Throwing<ITwoFactorResolver>("ResolveAsync", async (s, c) => await s.ResolveAsync(Tenant, 7, c), typeof(StoreFailureAnswerTests.StoreDownException)),
        Throwing<ITwoFactorBulkResolver>("ResolveManyAsync", async (s, c) => await s.ResolveManyAsync(Tenant, new long[] { 7 }, new Requirement[1], c), typeof(StoreFailureAnswerTests.StoreDownException)),
        Throwing<ITwoFactorBulkResolver>("ResolveTenantAsync", async (s, c) => await s.ResolveTenantAsync(Tenant, cancellationToken: c).GetAsyncEnumerator(c).MoveNextAsync(), typeof(NotSupportedException)),

        // Administration.
        Of<ITwoFactorAdministration, TotpEnrollmentResult>("ResetAsync", (s, c) => s.ResetAsync(Tenant, 7, c), r => r.Outcome == TotpEnrollmentOutcome.Failed),
        Of<ITwoFactorAdministration, PrincipalUnlockOutcome>("UnlockAsync", (s, c) => s.UnlockAsync(Tenant, 7, c), r => r == PrincipalUnlockOutcome.Failed),
        Of<ITwoFactorAuditTrail, Navixy.TwoFactor.Stores.AuditTrail.AuditTrailPage>("ReadAsync", (s, c) => s.ReadAsync(Tenant, cancellationToken: c), r => r.Outcome == Navixy.TwoFactor.Stores.AuditTrail.AuditTrailReadOutcome.Failed),
        Throwing<ITwoFactorAuditTrail>("PurgeAsync", async (s, c) => await s.PurgeAsync(c), typeof(StoreFailureAnswerTests.StoreDownException)),
        Of<ITwoFactorKeyRotation, KeyRewrapResult>("RewrapSecretsAsync", (s, c) => s.RewrapSecretsAsync(Tenant, cancellationToken: c), r => r.Outcome == KeyRewrapOutcome.Failed),
    ];

    /// <summary>
    /// A method's key: <c>Service.Method</c>, with its parameter types where the service has overloads of that name.
    /// </summary>
    /// <param name="method">A method of a service interface.</param>
    public static string KeyOf(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var service = method.DeclaringType!;
        var overloaded = service.GetMethods().Count(m => m.Name == method.Name) > 1;
        return overloaded
            ? $"{service.Name}.{method.Name}({string.Join(",", method.GetParameters().Select(p => p.ParameterType.Name))})"
            : $"{service.Name}.{method.Name}";
    }

    public override string ToString() => Key;

    private static FailureCase Of<TService, TAnswer>(string method, Func<TService, CancellationToken, ValueTask<TAnswer>> call, Func<TAnswer, bool> isFailure)
        where TService : notnull =>
        new(
            Name<TService>(method),
            async (provider, cancellationToken) => await call(provider.GetRequiredService<TService>(), cancellationToken).ConfigureAwait(false),
            answer => answer is TAnswer typed ? isFailure(typed) : answer is null && isFailure(default!));

    private static FailureCase Throwing<TService>(string method, Func<TService, CancellationToken, Task> call, Type documented)
        where TService : notnull =>
        new(
            Name<TService>(method),
            async (provider, cancellationToken) =>
            {
                await call(provider.GetRequiredService<TService>(), cancellationToken).ConfigureAwait(false);
                return null;
            },
            _ => false,
            documented);

    private static string Name<TService>(string method) => $"{typeof(TService).Name}.{method}";
}
