using FsCheck;
using FsCheck.Fluent;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Tests.Policy;

/// <summary>The policy model's value types, including bad input to their public constructors and factories.</summary>
public class PolicyModelTests
{
    [TestCase(0L)]
    [TestCase(-1L)]
    [TestCase(long.MinValue)]
    public void TenantId_NonPositive_ThrowsArgumentOutOfRange(long value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TenantId(value));

    [Test]
    public void TenantId_Default_IsNotValid_AndEveryRealOneIs()
    {
        Assert.That(default(TenantId).IsValid, Is.False);
        Assert.That(new TenantId(1).IsValid, Is.True);
        Assert.That(new TenantId(long.MaxValue).IsValid, Is.True);
        Assert.That(new TenantId(42).ToString(), Is.EqualTo("tenant 42"));
        Assert.That(new TenantId(42), Is.EqualTo(new TenantId(42)));
        Assert.That(new TenantId(42) != new TenantId(43), Is.True);
    }

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property TwoFactorSetting_Allowed_IsValidExactlyForANonEmptySetOfKnownFactors() =>
        Prop.ForAll(Arb.From(Gen.OneOf(Gen.Choose(-4, 8), Gen.Choose(int.MinValue, int.MaxValue))), bits =>
        {
            var factors = (FactorTypes)bits;
            var setting = TwoFactorSetting.Allowed(factors);
            var expected = factors == FactorTypes.None
                ? SettingsErrorCode.NoFactorTypes
                : (factors & ~(FactorTypes.Email | FactorTypes.Totp)) != 0 ? SettingsErrorCode.UnknownFactorType : SettingsErrorCode.None;
            return setting.Validate() == expected && setting.IsValid == (expected == SettingsErrorCode.None) && setting.IsAllowed;
        });

    [Test]
    public void TwoFactorSetting_Disallowed_IsDefaultAndValid_ButNotWithFactorBits()
    {
        Assert.That(TwoFactorSetting.Disallowed, Is.EqualTo(default(TwoFactorSetting)));
        Assert.That(TwoFactorSetting.Disallowed.IsValid, Is.True);
        Assert.That(TwoFactorSetting.Disallowed.ToString(), Is.EqualTo("Disallowed"));
        Assert.That(PolicyGen.DisallowedWithFactors(FactorTypes.Totp).Validate(), Is.EqualTo(SettingsErrorCode.InvalidSetting));
        Assert.That(PolicyGen.DisallowedWithFactors(FactorTypes.Totp), Is.Not.EqualTo(TwoFactorSetting.Disallowed));
    }

    [Test]
    public void TwoFactorSetting_Equality_ComparesKindAndFactors()
    {
        Assert.That(TwoFactorSetting.Allowed(FactorTypes.Email), Is.EqualTo(TwoFactorSetting.Allowed(FactorTypes.Email)));
        Assert.That(TwoFactorSetting.Allowed(FactorTypes.Email) == TwoFactorSetting.Allowed(FactorTypes.Totp), Is.False);
        Assert.That(TwoFactorSetting.Allowed(FactorTypes.Email | FactorTypes.Totp).ToString(), Is.EqualTo("Allowed(Email, Totp)"));
    }

    [TestCase("email", FactorTypes.Email, true)]
    [TestCase("totp", FactorTypes.Totp, true)]
    [TestCase("EMAIL", FactorTypes.None, false)]
    [TestCase("", FactorTypes.None, false)]
    [TestCase(null, FactorTypes.None, false)]
    [TestCase("sms", FactorTypes.None, false)]
    [TestCase("email ", FactorTypes.None, false)]
    public void FactorTypes_TryParseWireName_AcceptsOnlyExactKnownNames(string? name, FactorTypes expected, bool known)
    {
        Assert.That(FactorTypesExtensions.TryParseWireName(name, out var factor), Is.EqualTo(known));
        Assert.That(factor, Is.EqualTo(expected));
        if (known)
        {
            Assert.That(factor.ToWireName(), Is.EqualTo(name));
        }
    }

    [Test]
    public void FactorTypes_ToWireName_OfASetOrUnknownBit_IsNull()
    {
        Assert.That((FactorTypes.Email | FactorTypes.Totp).ToWireName(), Is.Null);
        Assert.That(((FactorTypes)4).ToWireName(), Is.Null);
        Assert.That(FactorTypes.None.ToWireName(), Is.Null);
        Assert.That(((FactorTypes)4).IsKnown(), Is.False);
        Assert.That(FactorTypesExtensions.All.IsKnown(), Is.True);
    }

    [Test]
    public void TenantPolicy_NegativeVersion_ThrowsArgumentOutOfRange() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TenantPolicy(TwoFactorSetting.Disallowed, TwoFactorSetting.Disallowed, -1));

    [Test]
    public void TenantPolicy_Initial_IsDisallowedWithNoUpdateAll()
    {
        Assert.That(TenantPolicy.Initial.DefaultSetting, Is.EqualTo(TwoFactorSetting.Disallowed));
        Assert.That(TenantPolicy.Initial.AllAccountsVersion, Is.Zero);
    }

    [Test]
    public void PrincipalPolicy_NullTenant_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => _ = new PrincipalPolicy(1, PrincipalKind.Account, default, null!));

    [Test]
    public void PrincipalPolicy_Unknown_DropsAnyAccountPassedIn()
    {
        var account = new AccountRecord(5, AccountOrigin.Created, false, TwoFactorSetting.Allowed(FactorTypes.Email), SettingSource.SelectedUpdate, 3);
        var snapshot = new PrincipalPolicy(5, PrincipalKind.Unknown, account, TenantPolicy.Initial);

        Assert.That(snapshot.Account, Is.EqualTo(default(AccountRecord)));
        Assert.That(TwoFactorResolver.Resolve(snapshot).Outcome, Is.EqualTo(RequirementOutcome.UnknownPrincipal));
    }

    [Test]
    public void SettingsUpdateResult_RejectedWithoutErrors_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => SettingsUpdateResult.Rejected([]));
        Assert.Throws<ArgumentNullException>(() => SettingsUpdateResult.Rejected(null!));
    }

    [Test]
    public void SettingsError_Description_NamesTheId()
    {
        Assert.That(new SettingsError(SettingsErrorCode.NotFound, 17).Description, Is.EqualTo("Account 17 was not found."));
        Assert.That(new SettingsError(SettingsErrorCode.NonPositiveId, -3).ToString(), Does.Contain("-3"));
        Assert.That(new SettingsError(SettingsErrorCode.NotFound, 17).IsNotFound, Is.True);
        Assert.That(new SettingsError(SettingsErrorCode.NonPositiveId, -3).IsNotFound, Is.False);
    }
}
