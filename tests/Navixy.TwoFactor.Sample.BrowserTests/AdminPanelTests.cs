namespace Navixy.TwoFactor.Sample.BrowserTests;

/// <summary>The Admin Panel pages: the seed page's steps, done in the browser.</summary>
public sealed class AdminPanelTests : PageTest
{
    [Test]
    [Description("S6 and R2: the all-users switch, previewed then applied; a sub-user then signs in with the emailed code")]
    public void AllUsersSwitch_PreviewThenApply_SubUserSignsInWithEmailedCode()
    {
        Open(string.Empty);
        WaitFor(() => Browser.FindElements(By.PartialLinkText("Admin Panel")).Count == 1, "the start page");
        Snap("start");
        AdminSignInToSecurity("acme.admin", snap: "admin-sign-in");
        Assert.That(ById("default-current").Text, Is.EqualTo("Off"));
        Snap("admin-security");

        var preview = PreviewAllUsers(on: true, "email");
        Assert.That(preview, Does.Contain("this changes 3 accounts"), "Acme's non-demo accounts: 101, 104, 106");
        Snap("admin-security-preview");

        // The preview changed nothing: the Users page still answers "not required" for everyone.
        Open("admin/users.html");
        Assert.That(UserRow("dispatcher@acme.example").FindElement(By.CssSelector(".requirement")).Text, Is.EqualTo("Not required"));

        Open("admin/security.html");
        WaitFor(() => ById("default-current").Text != "…", "the Security page");
        PreviewAllUsers(on: true, "email");
        Assert.That(ApplyAllUsers(), Does.Contain("Applied: 3 accounts changed"));
        WaitText("default-current", "On: email code");

        Open("admin/users.html");
        var dispatcher = UserRow("dispatcher@acme.example");
        Assert.That(dispatcher.FindElement(By.CssSelector(".requirement")).Text, Is.EqualTo("Required: email code"));
        Assert.That(dispatcher.FindElement(By.CssSelector(".why")).Text, Does.StartWith("R2: sub-user follows account 101"));
        Snap("admin-users");

        EnterPassword("dispatcher@acme.example", snap: "sign-in-password");
        WaitVisible("code-step");
        Assert.That(ById("code-hint").Text, Does.Contain("We emailed a code to dispatcher@acme.example"));
        WaitText("code-expiry", "The code expires in 4:");
        Assert.That(ById("resend").Enabled, Is.False, "a new code may be asked for only a minute later");
        WaitText("resend", "Resend code (");
        Snap("sign-in-email-code");

        EnterCode(Server.LatestCode("dispatcher@acme.example"));
        WaitSignedIn("dispatcher@acme.example");
        Snap("signed-in");
    }

    [Test]
    [Description("R2 for imported accounts: an imported user inherits the all-users setting")]
    public void AllUsersSwitch_ImportedUserInherits()
    {
        AdminSignInToSecurity("acme.admin");
        PreviewAllUsers(on: true, "email");
        ApplyAllUsers();

        Open("admin/users.html");
        var imported = UserRow("imported@acme.example");
        Assert.That(imported.FindElement(By.CssSelector(".kind")).Text, Is.EqualTo("Account, imported"));
        Assert.That(imported.FindElement(By.CssSelector(".requirement")).Text, Is.EqualTo("Required: email code"));
        Assert.That(imported.FindElement(By.CssSelector(".why")).Text, Does.Contain("setting from an update of all accounts"));

        EnterPassword("imported@acme.example");
        WaitVisible("code-step");
        EnterCode(Server.LatestCode("imported@acme.example"));
        WaitSignedIn("imported@acme.example");
    }

    [Test]
    [Description("R1: a demo user is never asked, with 2FA on for all users")]
    public void AllUsersSwitch_DemoUserIsNeverAsked()
    {
        AdminSignInToSecurity("acme.admin");
        PreviewAllUsers(on: true, "email", "totp");
        ApplyAllUsers();

        Open("admin/users.html");
        var demo = UserRow("demo@acme.example");
        Assert.That(demo.FindElement(By.CssSelector(".requirement")).Text, Is.EqualTo("Never asked (demo)"));
        Assert.That(demo.FindElement(By.CssSelector(".why")).Text, Does.StartWith("R1: demo account 105 is exempt"));

        EnterPassword("demo@acme.example");
        WaitSignedIn("demo@acme.example");
        Assert.That(ById("code-step").Displayed, Is.False);
        Assert.That(ById("me-demo").Displayed, Is.True);
        Assert.That(Server.MessagesTo("demo@acme.example"), Is.Zero, "no code was sent");
    }

    [Test]
    [Description("A viewer-only panel login sees every page read-only, and a change forced past the page is refused")]
    public void ViewerLogin_SeesPagesReadOnly_CannotChangeAnything()
    {
        AdminSignInToSecurity("acme.viewer");
        Assert.That(ById("who").Text, Is.EqualTo("acme.viewer (read only)"));
        Assert.That(ById("read-only").Displayed, Is.True);
        var controls = Browser.FindElements(By.CssSelector("[data-update]"));
        Assert.That(controls, Is.Not.Empty);
        Assert.That(controls.Where(c => c.Enabled).Select(c => c.GetAttribute("id") ?? c.GetAttribute("name")), Is.Empty, "every control that changes something is disabled");
        Snap("admin-security-viewer");

        // Even with the page's controls enabled by hand, the server refuses: error 13, nothing changes.
        Browser.ExecuteScript("document.querySelectorAll('[data-update]').forEach(c => c.disabled = false); document.getElementById('all-factors').disabled = false;");
        Browser.FindElement(By.CssSelector("input[name='all-state'][value='on']")).Click();
        Click("all-preview");
        WaitText("all-result", "Operation not permitted");

        Open("admin/user.html?id=101");
        WaitVisible("user-body");
        Assert.That(ById("user-save").Enabled, Is.False);
        Assert.That(ById("reset").Enabled, Is.False);
        Assert.That(ById("unlock").Enabled, Is.False);
        Browser.ExecuteScript("document.querySelectorAll('[data-update]').forEach(c => c.disabled = false);");
        Click("unlock");
        WaitText("unlock-result", "Operation not permitted");

        Open("admin/users.html");
        Assert.That(UserRow("fleet@acme.example").FindElement(By.CssSelector(".requirement")).Text, Is.EqualTo("Not required"), "nothing changed");
    }

    [Test]
    [Description("Every Panel API call acts inside one dealer: another dealer's users never appear")]
    public void UsersPage_ShowsOnlyTheDealersOwnUsers()
    {
        AdminSignInToSecurity("beacon.admin");
        Open("admin/users.html");
        Assert.That(ListedLogins(), Is.EqualTo(new[] { "north@beacon.example", "south@beacon.example" }));

        // Id 103 is an Acme sub-user: for Beacon it does not exist.
        Open("admin/user.html?id=103");
        WaitText("user-message", "No user with id 103 in this dealer.");

        AdminSignInToSecurity("acme.admin");
        Open("admin/users.html");
        Assert.That(ListedLogins(), Is.EqualTo(new[]
        {
            "fleet@acme.example", "dispatcher@acme.example", "driver@acme.example",
            "imported@acme.example", "demo@acme.example", "plain@acme.example",
        }));
    }

    [Test]
    [Description("S3 and R2: Edit user turns 2FA on for one account; its sub-users follow; reset and unlock answer")]
    public void EditUser_OneAccountOn_SubUsersFollow_ResetAndUnlock()
    {
        AdminSignInToSecurity("acme.admin");
        Open("admin/users.html");
        UserRow("fleet@acme.example").FindElement(By.LinkText("Edit")).Click();
        WaitVisible("user-body");
        Assert.That(ById("setting-note").Text, Does.Contain("dispatcher@acme.example, driver@acme.example"));
        Browser.FindElement(By.CssSelector("input[name='user-state'][value='on']")).Click();
        Click("user-save");
        WaitText("user-result", "Saved: On: email code.");
        WaitText("user-requirement", "Required: email code");
        Snap("admin-edit-user");

        Click("reset");
        WaitText("reset-result", "Nothing to reset");
        Click("unlock");
        WaitText("unlock-result", "Nothing to unlock");

        Open("admin/users.html");
        Assert.That(UserRow("driver@acme.example").FindElement(By.CssSelector(".requirement")).Text, Is.EqualTo("Required: email code"));
        Assert.That(UserRow("plain@acme.example").FindElement(By.CssSelector(".requirement")).Text, Is.EqualTo("Not required"));

        // A sub-user has no setting of its own: its page points to its account.
        Open("admin/user.html?id=103");
        WaitVisible("user-body");
        Assert.That(ById("user-form").Displayed, Is.False);
        Assert.That(ById("setting-note").Text, Does.Contain("follows account 101"));
    }
}
