using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Specification;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Tests.Diagnostics;
using Navixy.TwoFactor.Tests.Stores;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Tests.Settings;

/// <summary>
/// How removing a principal answers when a store fails while its second-step state is removed (policy.md C10): a result,
/// never an exception, that tells the host to call again; calling again finishes the job. The store-independent laws are
/// in <see cref="PrincipalRemovalSpecification"/>.
/// </summary>
public class PrincipalRemovalTests
{
    private static readonly TenantId Tenant = new(5);

    [Test]
    [Description("C10 A store failing during the clean-up answers StateNotRemoved with the removed ids; calling again for each id finishes it.")]
    public async Task C10_StoreFailsDuringCleanUp_AnswersStateNotRemoved_AndARetryFinishesIt()
    {
        var totp = new SwitchableTotpStore();
        var sink = new RecordingAuditSink();
        using var provider = CreateProvider(totp, sink);
        var directory = provider.GetRequiredService<ITwoFactorDirectory>();
        var enrollment = provider.GetRequiredService<ITotpEnrollment>();
        Assert.That((await directory.RegisterAccountAsync(Tenant, 7)).Succeeded, Is.True);
        Assert.That((await directory.RegisterSubUserAsync(Tenant, 70, 7)).Succeeded, Is.True);
        await EnrolAsync(provider, 7);
        await EnrolAsync(provider, 70);

        totp.Throw = true;
        var failed = await directory.RemoveAsync(Tenant, 7);
        var events = sink.Events.Where(e => e.Kind == TwoFactorAuditEventKind.StoreFailed).ToArray();
        totp.Throw = false;
        var gone = (await provider.GetRequiredService<ITwoFactorResolver>().ResolveAsync(Tenant, 70)).Outcome;
        var left = await enrollment.GetStatusAsync(Tenant, 70);
        var retried = await directory.RemoveAsync(Tenant, 7);
        var retriedSubUser = await directory.RemoveAsync(Tenant, 70);

        Assert.That((failed.Succeeded, failed.Error, failed.Affected), Is.EqualTo((false, DirectoryErrorCode.StateNotRemoved, 2L)));
        Assert.That(failed.RemovedPrincipalIds, Is.EqualTo(new long[] { 7, 70 }));
        Assert.That(events.Select(e => e.PrincipalId), Is.EquivalentTo(new long?[] { 7, 7, 70, 70 }), "one event per failed store call");
        Assert.That(gone, Is.EqualTo(RequirementOutcome.UnknownPrincipal), "the directory removal stands");
        Assert.That(left?.IsEnrolled, Is.True, "what the failed store held is still there before the retry");
        Assert.That(retried.Error, Is.EqualTo(DirectoryErrorCode.NotFound));
        Assert.That(retriedSubUser.Error, Is.EqualTo(DirectoryErrorCode.NotFound));
        Assert.That(await enrollment.GetStatusAsync(Tenant, 7), Is.EqualTo(new TotpEnrollmentStatus(false, false, 0)));
        Assert.That(await enrollment.GetStatusAsync(Tenant, 70), Is.EqualTo(new TotpEnrollmentStatus(false, false, 0)));
    }

    [Test]
    [Description("C10 A retry for an id whose clean-up still fails keeps answering StateNotRemoved.")]
    public async Task C10_RetryWhileTheStoreIsStillDown_AnswersStateNotRemovedAgain()
    {
        var totp = new SwitchableTotpStore();
        using var provider = CreateProvider(totp, new RecordingAuditSink());
        var directory = provider.GetRequiredService<ITwoFactorDirectory>();
        Assert.That((await directory.RegisterAccountAsync(Tenant, 7)).Succeeded, Is.True);

        totp.Throw = true;
        var first = await directory.RemoveAsync(Tenant, 7);
        var second = await directory.RemoveAsync(Tenant, 7);

        Assert.That(first.Error, Is.EqualTo(DirectoryErrorCode.StateNotRemoved));
        Assert.That((second.Error, second.Affected, second.RemovedPrincipalIds.Count), Is.EqualTo((DirectoryErrorCode.StateNotRemoved, 0L, 0)));
    }

    [Test]
    public void DirectoryResult_Default_IsNotASuccess()
    {
        Assert.That(default(DirectoryResult).Succeeded, Is.False);
        Assert.That(default(DirectoryResult).RemovedPrincipalIds, Is.Empty);
        Assert.That(DirectoryResult.Removed([3, 1, 2]), Is.EqualTo(DirectoryResult.Removed([1, 2, 3])), "equal by the ids, in ascending order");
        Assert.That(DirectoryResult.Removed([3, 1, 2]).ToString(), Does.Contain("RemovedPrincipalIds = [1, 2, 3]"));
        Assert.That(() => DirectoryResult.Removed([]), Throws.ArgumentException);
    }

    /// <summary>The principal's setting is disallowed, so an authenticator binds without step-up (T4).</summary>
    private static async Task EnrolAsync(ServiceProvider provider, long principalId)
    {
        var enrollment = provider.GetRequiredService<ITotpEnrollment>();
        var begun = await enrollment.BeginAsync(Tenant, principalId, "Fleet", "driver");
        Assert.That(begun.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Begun), begun.ToString());
        var code = TestAuthenticator.From(begun).CodeAt(provider.GetRequiredService<TimeProvider>().GetUtcNow());
        Assert.That((await enrollment.ConfirmAsync(Tenant, principalId, code)).Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
    }

    private static ServiceProvider CreateProvider(SwitchableTotpStore totp, RecordingAuditSink sink)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        services.AddSingleton<ITwoFactorAuditSink>(sink);
        services.AddNavixyTwoFactor(o => o.Totp.RecoveryCodeIterations = TotpOptions.MinRecoveryCodeIterations);
        services.Replace(ServiceDescriptor.Singleton<ITotpEnrollmentStore>(totp));
        services.Replace(ServiceDescriptor.Singleton<IRecoveryCodeStore>(totp));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
