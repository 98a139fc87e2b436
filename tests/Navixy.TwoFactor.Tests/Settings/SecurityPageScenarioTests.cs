using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Tests.Settings;

/// <summary>
/// One scenario per sentence of Navixy's Admin Panel "Security" page (shared/seeds/security-page.md), each
/// quoting its sentence, played through the public services.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The engine is created per test in SetUp and disposed in TearDown.")]
public class SecurityPageScenarioTests
{
    private static readonly TenantId Dealer = new(100);
    private static readonly TwoFactorSetting Email = TwoFactorSetting.Allowed(FactorTypes.Email);

    private TestEngine _engine = null!;

    [SetUp]
    public void SetUp() => _engine = new TestEngine();

    [TearDown]
    public void TearDown() => _engine.Dispose();

    [Test(Description = "\"The Security page allows you to improve the security of user accounts on the Navixy platform by enabling two-factor authentication (2FA).\"")]
    public void SecurityPage_Enabling2FA_MakesAUserPassASecondStepAtLogin()
    {
        Register(1);
        Assert.That(Resolve(1).Outcome, Is.EqualTo(RequirementOutcome.NotRequired), "off on a fresh platform");

        Enforce(Email);

        Assert.That(Resolve(1).Outcome, Is.EqualTo(RequirementOutcome.Required));
        Assert.That(Resolve(1).Factors, Is.EqualTo(FactorTypes.Email));
    }

    [Test(Description = "\"You can configure this security feature for all users or selectively enable it based on specific account needs.\"")]
    public void SecurityPage_AllUsersOrSelectively_BothWays()
    {
        Register(1);
        Register(2);
        Register(3);

        Update(SettingsTarget.Selected(2), Email);
        Assert.That(Required(1, 2, 3), Is.EqualTo(new[] { false, true, false }), "selectively");

        Update(SettingsTarget.All, Email);
        Assert.That(Required(1, 2, 3), Is.EqualTo(new[] { true, true, true }), "for all users");
    }

    [Test(Description = "\"Two-factor authentication can be enabled either for all users in your system or for specific users via their settings.\"")]
    public void SecurityPage_EnabledForSpecificUsersViaTheirSettings_ReadsBackPerUser()
    {
        Register(1);
        Register(2);

        Update(SettingsTarget.Selected(1), Email);

        Assert.That(Read(1), Is.EqualTo(AccountSettingResult.Of(Email, SettingSource.SelectedUpdate, false)));
        Assert.That(Read(2), Is.EqualTo(AccountSettingResult.Of(TwoFactorSetting.Disallowed, SettingSource.TenantDefault, false)));
    }

    [Test(Description = "\"For all users: Configured in Admin Panel → Settings → Security. Ensures that all current and new users must authenticate using a one-time passcode in addition to their login credentials.\"")]
    public void SecurityPage_ForAllUsers_CurrentAndNewUsersMustAuthenticate()
    {
        Register(1);
        Register(2);
        Update(SettingsTarget.Selected(2), TwoFactorSetting.Disallowed);

        var result = Enforce(Email);
        Register(3);

        Assert.That(result.ChangedAccounts, Is.EqualTo(2));
        Assert.That(Required(1, 2, 3), Is.EqualTo(new[] { true, true, true }), "current users 1, 2 and new user 3");
        Assert.That(TestEngine.Run(_engine.Settings.ReadDefaultAsync(Dealer)), Is.EqualTo(Email));
    }

    [Test(Description = "\"All sub-users and imported users will also inherit the 2FA settings.\"")]
    public void SecurityPage_ForAllUsers_SubUsersAndImportedUsersInherit()
    {
        Register(1);
        RegisterSubUser(11, 1);
        Register(2, AccountOrigin.Imported);

        Enforce(Email);
        Register(3, AccountOrigin.Imported);
        RegisterSubUser(12, 1);
        RegisterSubUser(31, 3);

        Assert.That(Required(11, 2, 3, 12, 31), Is.EqualTo(new[] { true, true, true, true, true }));
        Assert.That(Resolve(11).Explanation.Rule, Is.EqualTo(PolicyRule.SubUserFollowsAccount));
        Assert.That(Resolve(11).Explanation.AccountId, Is.EqualTo(1));
    }

    [Test(Description = "\"2FA settings do not apply to demo users\"")]
    public void SecurityPage_DemoUsers_AreNotAskedWhateverTheSettings()
    {
        Register(1, isDemo: true);
        RegisterSubUser(11, 1);

        Enforce(Email);
        Update(SettingsTarget.Selected(1), TwoFactorSetting.Allowed(FactorTypes.Email | FactorTypes.Totp));
        Register(2, isDemo: true);

        foreach (var id in new long[] { 1, 11, 2 })
        {
            Assert.That(Resolve(id).Outcome, Is.EqualTo(RequirementOutcome.NotRequired), $"principal {id}");
            Assert.That(Resolve(id).Reason, Is.EqualTo(NotRequiredReason.DemoAccount), $"principal {id}");
        }

        Assert.That(Read(1).Setting, Is.EqualTo(TwoFactorSetting.Allowed(FactorTypes.Email | FactorTypes.Totp)), "the setting is kept, it just does not apply");
        Assert.That(Read(1).IsDemo, Is.True);
    }

    [Test(Description = "\"For specific users: For individual accounts that require personalized security, you can enable 2FA in Admin Panel → Users → Edit user → Two-factor authentication.\"")]
    public void SecurityPage_ForSpecificUsers_OnlyThatAccountIsAsked()
    {
        Register(1);
        Register(2);

        var result = Update(SettingsTarget.Selected(1), TwoFactorSetting.Allowed(FactorTypes.Totp));

        Assert.That(result.ChangedAccounts, Is.EqualTo(1));
        Assert.That(Resolve(1).Factors, Is.EqualTo(FactorTypes.Totp));
        Assert.That(Resolve(2).IsRequired, Is.False);
    }

    [Test(Description = "\"All sub-users created in that account will also inherit the 2FA settings.\"")]
    public void SecurityPage_ForSpecificUsers_SubUsersCreatedInThatAccountInherit()
    {
        Register(1);
        Register(2);
        RegisterSubUser(11, 1);
        RegisterSubUser(21, 2);

        Update(SettingsTarget.Selected(1), Email);
        RegisterSubUser(12, 1);

        Assert.That(Required(11, 12, 21), Is.EqualTo(new[] { true, true, false }), "sub-users of account 1 before and after, not of account 2");
        Assert.That(Resolve(12).Explanation.AccountId, Is.EqualTo(1));
    }

    [Test(Description = "\"Note that the current implementation only allows enabling two-factor authentication for all account users, including sub-users created in the main account.\"")]
    public void SecurityPage_SubUsersCannotBeSetOnTheirOwn_TheyFollowTheMainAccount()
    {
        Register(1);
        RegisterSubUser(11, 1);
        RegisterSubUser(12, 1);

        var own = Update(SettingsTarget.Selected(11), Email);
        Assert.That(own.Succeeded, Is.False);
        Assert.That(own.Errors, Is.EqualTo(new[] { new SettingsError(SettingsErrorCode.NotAnAccount, 11) }));
        Assert.That(Read(11).Found, Is.False, "a sub-user has no setting to read");

        Update(SettingsTarget.Selected(1), Email);
        Assert.That(Required(1, 11, 12), Is.EqualTo(new[] { true, true, true }), "all account users, sub-users included");
    }

    [Test(Description = "\"To configure 2FA settings, you can use our Panel API, using the calls to read and update 2FA settings for a list of specified users or all users of the platform, as well as set default settings for new users.\"")]
    public void SecurityPage_PanelApi_ReadUpdateListOrAll_AndDefaultForNewUsers()
    {
        Register(1);
        Register(2);
        Register(3);

        Update(SettingsTarget.Selected(1, 2), Email);
        Assert.That(Read(1).Setting, Is.EqualTo(Email));
        Assert.That(Read(3).Setting, Is.EqualTo(TwoFactorSetting.Disallowed));

        Update(SettingsTarget.All, TwoFactorSetting.Allowed(FactorTypes.Totp));
        Assert.That(new[] { Read(1), Read(2), Read(3) }.Select(r => r.Setting), Is.All.EqualTo(TwoFactorSetting.Allowed(FactorTypes.Totp)));

        var defaultResult = TestEngine.Run(_engine.Settings.UpdateDefaultAsync(Dealer, Email));
        Register(4);
        Assert.That(defaultResult.Succeeded, Is.True);
        Assert.That(TestEngine.Run(_engine.Settings.ReadDefaultAsync(Dealer)), Is.EqualTo(Email));
        Assert.That(Read(4), Is.EqualTo(AccountSettingResult.Of(Email, SettingSource.TenantDefault, false)), "new users take the default");
        Assert.That(Read(1).Setting, Is.EqualTo(TwoFactorSetting.Allowed(FactorTypes.Totp)), "the default is not retroactive");
    }

    private void Register(long id, AccountOrigin origin = AccountOrigin.Created, bool isDemo = false) =>
        Assert.That(TestEngine.Run(_engine.Directory.RegisterAccountAsync(Dealer, id, origin, isDemo)).Succeeded, Is.True, $"register account {id}");

    private void RegisterSubUser(long id, long accountId) =>
        Assert.That(TestEngine.Run(_engine.Directory.RegisterSubUserAsync(Dealer, id, accountId)).Succeeded, Is.True, $"register sub-user {id}");

    private SettingsUpdateResult Update(SettingsTarget target, TwoFactorSetting setting) =>
        TestEngine.Run(_engine.Settings.UpdateAsync(Dealer, target, setting));

    private SettingsUpdateResult Enforce(TwoFactorSetting setting)
    {
        var result = TestEngine.Run(_engine.Settings.EnforceForEveryoneAsync(Dealer, setting));
        Assert.That(result.Succeeded, Is.True, "enforce for everyone");
        return result;
    }

    private Requirement Resolve(long id) => _engine.Resolve(Dealer, id);

    private AccountSettingResult Read(long id) => _engine.Read(Dealer, id);

    private bool[] Required(params long[] ids) => [.. ids.Select(id => Resolve(id).IsRequired)];
}
