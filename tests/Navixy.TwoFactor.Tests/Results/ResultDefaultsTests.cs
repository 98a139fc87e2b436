using System.Reflection;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Tests.Results;

/// <summary>
/// Issue item 8, "results that read alike": every result type's <c>default</c> is a failure, each has one success flag that
/// agrees with its outcome, and a value that comes with success is non-null once the flag is checked (this file compiles
/// only because the flags carry <c>[MemberNotNullWhen]</c>: nullable warnings are errors).
/// </summary>
public class ResultDefaultsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void EveryPublicResultType_IsAValueType_SoItHasADefault()
    {
        var results = typeof(ChallengeStartResult).Assembly.GetExportedTypes()
            .Where(t => t.Name.EndsWith("Result", StringComparison.Ordinal))
            .ToArray();

        Assert.That(results, Has.Length.GreaterThanOrEqualTo(9));
        Assert.That(results.Where(t => !t.IsValueType).Select(t => t.FullName), Is.Empty, "a class result's default is null, not a failure");
    }

    [Test]
    public void EveryOutcomeEnum_ZeroIsTheFailure()
    {
        Assert.That(default(ChallengeStartOutcome), Is.EqualTo(ChallengeStartOutcome.Failed));
        Assert.That(default(ChallengeVerifyOutcome), Is.EqualTo(ChallengeVerifyOutcome.Failed));
        Assert.That(default(ChallengeResendOutcome), Is.EqualTo(ChallengeResendOutcome.Failed));
        Assert.That(default(TotpEnrollmentOutcome), Is.EqualTo(TotpEnrollmentOutcome.Failed));
        Assert.That(default(PrincipalUnlockOutcome), Is.EqualTo(PrincipalUnlockOutcome.Failed));
        Assert.That(default(RequirementOutcome), Is.EqualTo(RequirementOutcome.UnknownPrincipal), "never a pass");
        Assert.That(default(ChallengeStoreOutcome), Is.EqualTo(ChallengeStoreOutcome.NotFound));
    }

    [Test]
    public void ChallengeStartResult_Default_IsFailedWithoutAToken()
    {
        var result = default(ChallengeStartResult);

        Assert.That((result.IsStarted, result.Outcome, result.Token), Is.EqualTo((false, ChallengeStartOutcome.Failed, (string?)null)));
        Assert.That(result, Is.EqualTo(ChallengeStartResult.Of(ChallengeStartOutcome.Failed)));
        Assert.That(result.ToString(), Is.EqualTo("Failed"));
    }

    [Test]
    public void ChallengeVerifyResult_Default_IsFailedNotPassed()
    {
        var result = default(ChallengeVerifyResult);

        Assert.That((result.IsPassed, result.Outcome, result.PrincipalId), Is.EqualTo((false, ChallengeVerifyOutcome.Failed, 0L)));
        Assert.That(result, Is.EqualTo(ChallengeVerifyResult.Of(ChallengeVerifyOutcome.Failed)));
    }

    [Test]
    public void ChallengeResendResult_Default_IsFailedNotSent()
    {
        var result = default(ChallengeResendResult);

        Assert.That((result.IsSent, result.Outcome), Is.EqualTo((false, ChallengeResendOutcome.Failed)));
        Assert.That(result, Is.EqualTo(ChallengeResendResult.Of(ChallengeResendOutcome.Failed)));
    }

    [Test]
    public void TotpEnrollmentBeginResult_Default_IsFailedWithoutASecret()
    {
        var result = default(TotpEnrollmentBeginResult);

        Assert.That((result.IsBegun, result.Outcome), Is.EqualTo((false, TotpEnrollmentOutcome.Failed)));
        Assert.That((result.Secret, result.OtpAuthUri), Is.EqualTo(((string?)null, (string?)null)));
        Assert.That(result, Is.EqualTo(TotpEnrollmentBeginResult.Of(TotpEnrollmentOutcome.Failed)));
    }

    [Test]
    public void TotpEnrollmentResult_Default_IsFailedWithNoRecoveryCodes()
    {
        var result = default(TotpEnrollmentResult);

        Assert.That((result.Succeeded, result.Outcome), Is.EqualTo((false, TotpEnrollmentOutcome.Failed)));
        Assert.That(result.RecoveryCodes, Is.Empty);
        Assert.That(result, Is.EqualTo(TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Failed)));
    }

    [Test]
    public void DirectoryResult_Default_IsNotASuccess()
    {
        var result = default(DirectoryResult);

        Assert.That((result.Succeeded, result.Affected), Is.EqualTo((false, 0L)));
        Assert.That(result.RemovedPrincipalIds, Is.Empty);
    }

    [Test]
    public void DirectoryResult_FailedWithoutAReason_Throws_SoNoFailureReadsAsASuccess()
    {
        Assert.That(() => DirectoryResult.Failed(DirectoryErrorCode.None), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(DirectoryResult.Failed(DirectoryErrorCode.NotFound).Succeeded, Is.False);
    }

    [Test]
    public void AccountSettingResult_Default_IsTheStoreFailure_NotANotFound()
    {
        var result = default(AccountSettingResult);

        Assert.That((result.Found, result.IsFailed), Is.EqualTo((false, true)));
        Assert.That(result, Is.EqualTo(AccountSettingResult.Failed));
        Assert.That(result, Is.Not.EqualTo(AccountSettingResult.NotFound));
        Assert.That((AccountSettingResult.NotFound.Found, AccountSettingResult.NotFound.IsFailed), Is.EqualTo((false, false)));
    }

    [Test]
    public void SettingsUpdateResult_Default_IsTheStoreFailureWithNoErrors()
    {
        var result = default(SettingsUpdateResult);

        Assert.That((result.Succeeded, result.IsFailed, result.IsDryRun, result.ChangedAccounts, result.Version, result.IsNotFound), Is.EqualTo((false, true, false, 0L, 0L, false)));
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result, Is.EqualTo(SettingsUpdateResult.Failed));
        Assert.That(result.ToString(), Is.EqualTo("Failed"));
        Assert.That(SettingsUpdateResult.Rejected([new SettingsError(SettingsErrorCode.EmptyTarget)]).IsFailed, Is.False, "a rejection is not a store failure");
    }

    [Test]
    public void SettingsUpdateResult_EqualAnswers_AreEqualWhateverListHoldsTheErrors()
    {
        var first = SettingsUpdateResult.Rejected([new SettingsError(SettingsErrorCode.NotFound, 3)]);
        var second = SettingsUpdateResult.Rejected(new List<SettingsError> { new(SettingsErrorCode.NotFound, 3) });

        Assert.That(first, Is.EqualTo(second));
        Assert.That(first.GetHashCode(), Is.EqualTo(second.GetHashCode()));
        Assert.That(first, Is.Not.EqualTo(SettingsUpdateResult.Rejected([new SettingsError(SettingsErrorCode.NotFound, 4)])));
        Assert.That(SettingsUpdateResult.Applied(2, 5), Is.EqualTo(SettingsUpdateResult.Applied(2, 5)));
    }

    [Test]
    public void Requirement_Default_IsAnUnknownPrincipal_NeverAPass()
    {
        var result = default(Requirement);

        Assert.That((result.IsRequired, result.Outcome, result.Reason), Is.EqualTo((false, RequirementOutcome.UnknownPrincipal, NotRequiredReason.None)));
        Assert.That(result, Is.EqualTo(Requirement.UnknownPrincipal(0)));
    }

    [Test]
    public void ChallengeStoreResult_Default_IsNotFound()
    {
        Assert.That(default(ChallengeStoreResult), Is.EqualTo(ChallengeStoreResult.NotFound));
        Assert.That(default(ChallengeStoreResult).Outcome, Is.EqualTo(ChallengeStoreOutcome.NotFound));
    }

    [Test]
    public void ChallengeStartResult_IsStarted_OnlyForStarted_AndThenTheTokenIsThere()
    {
        var started = ChallengeStartResult.Started("token", FactorTypes.Email, Now, Now, Now, FactorTypes.None);
        ChallengeStartResult[] others =
        [
            ChallengeStartResult.NotRequired(NotRequiredReason.DemoAccount),
            ChallengeStartResult.PrincipalLocked(Now),
            ChallengeStartResult.TooSoon(Now, Now),
            ChallengeStartResult.FactorUnavailable(FactorTypes.Email),
            ChallengeStartResult.EnrollNow(Now),
            ChallengeStartResult.EnrollmentRequired(Now),
            .. new[]
            {
                ChallengeStartOutcome.Failed, ChallengeStartOutcome.UnknownPrincipal, ChallengeStartOutcome.DeliveryFailed,
                ChallengeStartOutcome.FactorUnavailable, ChallengeStartOutcome.EnrollmentRequired,
            }.Select(ChallengeStartResult.Of),
        ];

        Assert.That(others.Select(r => r.IsStarted), Has.All.False);
        Assert.That(started.IsStarted, Is.True);

        // Compiles without '!' only because IsStarted carries [MemberNotNullWhen(true, nameof(Token))].
        var length = started.IsStarted ? started.Token.Length : -1;
        Assert.That(length, Is.EqualTo(5));
    }

    [Test]
    [Description("G1 EnrollNow and EnrollmentRequired carry T (EnrollUntil); every other answer, and default, carries none; EnrollNow needs its T, so Of refuses it; the outcome values already shipped keep their numbers.")]
    public void G1_ChallengeStartResult_EnrollUntil_OnlyWithTheEnrolmentOutcomes()
    {
        var enrolNow = ChallengeStartResult.EnrollNow(Now);
        var ended = ChallengeStartResult.EnrollmentRequired(Now);
        var none = ChallengeStartResult.EnrollmentRequired(null);

        Assert.That((enrolNow.Outcome, enrolNow.EnrollUntil, enrolNow.IsStarted, enrolNow.Token), Is.EqualTo((ChallengeStartOutcome.EnrollNow, (DateTimeOffset?)Now, false, (string?)null)));
        Assert.That((ended.Outcome, ended.EnrollUntil), Is.EqualTo((ChallengeStartOutcome.EnrollmentRequired, (DateTimeOffset?)Now)));
        Assert.That(none, Is.EqualTo(ChallengeStartResult.Of(ChallengeStartOutcome.EnrollmentRequired)));
        Assert.That(default(ChallengeStartResult).EnrollUntil, Is.Null);
        Assert.That(ChallengeStartResult.PrincipalLocked(Now).EnrollUntil, Is.Null);
        Assert.That(() => ChallengeStartResult.Of(ChallengeStartOutcome.EnrollNow), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(enrolNow.ToString(), Does.StartWith("EnrollNow until ").And.Contain(Now.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(ended.ToString(), Does.StartWith("EnrollmentRequired (enrolment period ended "));
        Assert.That(none.ToString(), Is.EqualTo("EnrollmentRequired"));
        Assert.That(
            Enum.GetValues<ChallengeStartOutcome>().Select(o => ((int)o, o.ToString())),
            Is.EqualTo(new[]
            {
                (0, "Failed"), (1, "Started"), (2, "NotRequired"), (3, "UnknownPrincipal"), (4, "PrincipalLocked"), (5, "DeliveryFailed"),
                (6, "FactorUnavailable"), (7, "EnrollmentRequired"), (8, "TooSoon"), (9, "EnrollNow"),
            }));
    }

    [Test]
    public void ChallengeVerifyResult_IsPassed_OnlyForPassed()
    {
        Assert.That(ChallengeVerifyResult.Passed(7).IsPassed, Is.True);
        var others = Enum.GetValues<ChallengeVerifyOutcome>()
            .Where(o => o is not (ChallengeVerifyOutcome.Passed or ChallengeVerifyOutcome.WrongCode or ChallengeVerifyOutcome.PrincipalLocked))
            .Select(ChallengeVerifyResult.Of)
            .Append(ChallengeVerifyResult.WrongCode(3))
            .Append(ChallengeVerifyResult.PrincipalLocked(Now));
        Assert.That(others.Select(r => r.IsPassed), Has.All.False);
    }

    [Test]
    public void ChallengeResendResult_IsSent_OnlyForSent()
    {
        Assert.That(ChallengeResendResult.Sent(Now, Now, 3).IsSent, Is.True);
        var others = Enum.GetValues<ChallengeResendOutcome>()
            .Where(o => o is not (ChallengeResendOutcome.Sent or ChallengeResendOutcome.TooSoon or ChallengeResendOutcome.PrincipalLocked))
            .Select(ChallengeResendResult.Of)
            .Append(ChallengeResendResult.TooSoon(TimeSpan.FromSeconds(1)))
            .Append(ChallengeResendResult.PrincipalLocked(Now));
        Assert.That(others.Select(r => r.IsSent), Has.All.False);
    }

    [Test]
    public void TotpEnrollmentBeginResult_IsBegun_OnlyForBegun_AndThenSecretAndUriAreThere()
    {
        var begun = TotpEnrollmentBeginResult.Begun("JBSWY3DPEHPK3PXP", "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP", Now, default);
        TotpEnrollmentBeginResult[] others =
        [
            TotpEnrollmentBeginResult.PrincipalLocked(Now),
            .. new[] { TotpEnrollmentOutcome.Failed, TotpEnrollmentOutcome.UnknownPrincipal, TotpEnrollmentOutcome.StepUpRequired }
                .Select(TotpEnrollmentBeginResult.Of),
        ];

        Assert.That(others.Select(r => r.IsBegun), Has.All.False);

        // Compiles without '!' only because IsBegun carries [MemberNotNullWhen(true, nameof(Secret), nameof(OtpAuthUri))].
        string shown = "nothing";
        if (begun.IsBegun)
        {
            shown = begun.Secret.Length + " " + new Uri(begun.OtpAuthUri).Scheme;
        }

        Assert.That(shown, Is.EqualTo("16 otpauth"));
    }

    [Test]
    public void TotpEnrollmentResult_Succeeded_ForTheFourOutcomesThatDidWhatWasAsked()
    {
        TotpEnrollmentResult[] succeeded =
        [
            TotpEnrollmentResult.Confirmed(["A"]),
            TotpEnrollmentResult.RecoveryCodesRegenerated(["B"]),
            TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Disabled),
            TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Reset),
        ];
        var failed = Enum.GetValues<TotpEnrollmentOutcome>()
            .Where(o => o is not (TotpEnrollmentOutcome.Begun or TotpEnrollmentOutcome.Confirmed or TotpEnrollmentOutcome.RecoveryCodesRegenerated
                or TotpEnrollmentOutcome.PrincipalLocked or TotpEnrollmentOutcome.Disabled or TotpEnrollmentOutcome.Reset))
            .Select(TotpEnrollmentResult.Of)
            .Append(TotpEnrollmentResult.PrincipalLocked(Now))
            .ToArray();

        Assert.That(succeeded.Select(r => r.Succeeded), Has.All.True);
        Assert.That(failed, Has.Length.EqualTo(10));
        Assert.That(failed.Select(r => r.Succeeded), Has.All.False);
        Assert.That(succeeded[0].RecoveryCodes, Is.EqualTo(new[] { "A" }));
    }

    [Test]
    public void ResultsCarryingAValue_DeclareMemberNotNullWhenOnTheirSuccessFlag()
    {
        Assert.That(NotNullWhenTrue<ChallengeStartResult>(nameof(ChallengeStartResult.IsStarted)), Is.EquivalentTo(new[] { nameof(ChallengeStartResult.Token) }));
        Assert.That(
            NotNullWhenTrue<TotpEnrollmentBeginResult>(nameof(TotpEnrollmentBeginResult.IsBegun)),
            Is.EquivalentTo(new[] { nameof(TotpEnrollmentBeginResult.Secret), nameof(TotpEnrollmentBeginResult.OtpAuthUri) }));
    }

    private static string[] NotNullWhenTrue<T>(string flag) =>
        typeof(T).GetProperty(flag)!.GetCustomAttributes<System.Diagnostics.CodeAnalysis.MemberNotNullWhenAttribute>()
            .Where(a => a.ReturnValue)
            .SelectMany(a => a.Members)
            .ToArray();
}
