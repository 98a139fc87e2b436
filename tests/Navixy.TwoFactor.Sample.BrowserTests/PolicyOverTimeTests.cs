namespace Navixy.TwoFactor.Sample.BrowserTests;

/// <summary>
/// Policy over time in the pages (issue 12): the enrolment period at sign-in, remembered devices, scheduled changes, the
/// remember and enrolment periods on Settings → Security, and the audit trail. Days pass on the server's fake clock.
/// </summary>
public sealed class PolicyOverTimeTests : PageTest
{
    [Test]
    [Description("G1: inside the enrolment period the sign-in page shows the date, leads through enrolment with the restricted hash (QR, code, recovery codes once), then the user signs in with the app")]
    public void G1_InsideEnrolmentPeriod_UserEnrolsFromSignIn_ThenSignsInWithTheApp()
    {
        AdminSignInToSecurity("acme.admin");
        SavePeriod("enrol", 7, "7 days");
        PreviewAllUsers(on: true, "totp");
        ApplyAllUsers();

        EnterPassword("plain@acme.example");
        var deadline = WaitText("enrol-deadline", "Set up an authenticator app by ");
        Assert.That(deadline, Does.Contain(Server.Clock.GetUtcNow().AddDays(7).Year.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Snap("sign-in-enrol-by");
        WaitFor(() => Browser.SwitchTo().ActiveElement().GetAttribute("id") == "enrol-go", "the focus on \"Set up an app now\"");
        Browser.SwitchTo().ActiveElement().SendKeys(Keys.Enter);

        WaitText("status-line", "Set up an authenticator app by ");
        Click("start");
        WaitVisible("scan");
        WaitFor(() => (bool)Browser.ExecuteScript("const q = document.getElementById('qr'); return q.src.startsWith('blob:') && q.complete && q.naturalWidth > 0;")!, "the QR code image, drawn for the restricted hash");
        var secret = ById("secret").Text;
        Type("app-code", Totp(secret, Server.Clock.GetUtcNow()));
        Click("confirm");
        WaitVisible("codes");
        Assert.That(Browser.FindElements(By.CssSelector("#recovery-codes li")), Has.Count.EqualTo(10));

        // Back to sign in, now with the app (at its next step: each step's code is accepted once).
        Click("done");
        WaitText("password-message", "Your authenticator app is on. Sign in again");
        Assert.That(ById("login").GetAttribute("value"), Is.EqualTo("plain@acme.example"));
        Server.Clock.Advance(TimeSpan.FromSeconds(30));
        Type("password", PagesServer.SeedPassword("plain@acme.example"));
        Click("sign-in");
        WaitText("code-label", "Code from your authenticator app");
        EnterCode(Totp(secret, Server.Clock.GetUtcNow()));
        WaitSignedIn("plain@acme.example");
    }

    [Test]
    [Description("G1: once the enrolment period has ended the sign-in page says so, with the date, and lets nobody in")]
    public void G1_AfterEnrolmentPeriod_SignInShowsThatItEnded()
    {
        AdminSignInToSecurity("acme.admin");
        SavePeriod("enrol", 7, "7 days");
        PreviewAllUsers(on: true, "totp");
        ApplyAllUsers();

        // The first sign-in starts the user's period; "Not now" leaves it unused.
        EnterPassword("imported@acme.example");
        WaitText("enrol-deadline", "Set up an authenticator app by ");
        Click("enrol-later");
        WaitVisible("password-step");

        Server.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        EnterPassword("imported@acme.example");
        var message = WaitText("password-message", "Your time to set up an authenticator app ended on ");
        Assert.That(message, Does.Contain("Ask your administrator to reset"));
        Assert.That(ById("enrol-step").Displayed, Is.False);
        Assert.That(ById("signed-in").Displayed, Is.False);
        Snap("sign-in-enrol-ended");
    }

    [Test]
    [Description("D1 and D2: \"Remember this device\" at the code step; the next sign-in on this browser needs no code")]
    public void D2_RememberThisDevice_NextSignInSkipsTheCode()
    {
        AdminSignInToSecurity("acme.admin");
        SavePeriod("remember", 30, "30 days");
        PreviewAllUsers(on: true, "email");
        ApplyAllUsers();

        EnterPassword("plain@acme.example");
        WaitVisible("code-step");
        Assert.That(ById("remember").Selected, Is.False, "not remembered unless asked");
        Click("remember");
        Snap("sign-in-remember-device");
        EnterCode(Server.LatestCode("plain@acme.example"));
        WaitSignedIn("plain@acme.example");
        WaitText("me-device", "This browser is remembered until ");
        var sent = Server.MessagesTo("plain@acme.example");

        Click("sign-out");
        Server.Clock.Advance(TimeSpan.FromMinutes(2));
        EnterPassword("plain@acme.example");
        WaitSignedIn("plain@acme.example");
        WaitText("me-device", "No code was needed: this browser is a remembered device.");
        Assert.That(Server.MessagesTo("plain@acme.example"), Is.EqualTo(sent), "no code was sent");

        // Another user on the same browser is asked as usual.
        Click("sign-out");
        EnterPassword("imported@acme.example");
        WaitVisible("code-step");
    }

    [Test]
    [Description("S11, A1 and A3: the all-users switch scheduled for tomorrow is listed and changes nothing; cancelled, it is gone; the audit trail shows both, newest first")]
    public void S11_ScheduledChange_ListedThenCancelled_AuditTrailShowsBoth()
    {
        AdminSignInToSecurity("acme.admin");
        SetLocalMoment("all-from", TimeSpan.FromDays(1));
        var preview = PreviewAllUsers(on: true, "email");
        Assert.That(preview, Does.Contain("Preview: from "));
        Assert.That(ById("all-apply").Text, Is.EqualTo("Schedule for all users"));
        Click("all-apply");
        WaitText("all-result", "Scheduled: from ");
        WaitFor(() => Browser.FindElements(By.CssSelector("#scheduled li")).Count == 1, "the scheduled change to be listed");
        var listed = Browser.FindElement(By.CssSelector("#scheduled li"));
        Assert.That(listed.Text, Does.Contain("All users and new users → On: email code"));
        Assert.That(ById("scheduled-empty").Displayed, Is.False);
        ScrollTo("scheduled-title");
        Snap("admin-security-scheduled");

        Open("admin/users.html");
        Assert.That(UserRow("plain@acme.example").FindElement(By.CssSelector(".requirement")).Text, Is.EqualTo("Not required"), "nothing changes before its moment");

        Open("admin/security.html");
        WaitFor(() => Browser.FindElements(By.CssSelector("#scheduled li")).Count == 1, "the scheduled change");
        Browser.FindElement(By.CssSelector("#scheduled li button")).Click();
        WaitText("scheduled-result", "Cancelled: the change from ");
        WaitVisible("scheduled-empty");
        Assert.That(Browser.FindElements(By.CssSelector("#scheduled li")), Is.Empty);

        Open("admin/audit.html");
        WaitFor(() => Browser.FindElements(By.CssSelector("#audit tbody tr")).Count == 2, "two audit entries");
        var rows = Browser.FindElements(By.CssSelector("#audit tbody tr"));
        Assert.That(rows.Select(r => r.GetAttribute("data-action")), Is.EqualTo(new[] { "scheduled_change_cancelled", "enforce_for_everyone" }), "newest first");
        Assert.That(rows[0].FindElement(By.CssSelector(".change")).Text, Does.StartWith("Will not apply: All users and new users → On: email code from "));
        Assert.That(rows[1].FindElement(By.CssSelector(".change")).Text, Does.StartWith("Scheduled for ").And.Contain("Off → On: email code"));
        Assert.That(rows[0].FindElement(By.CssSelector(".actor")).Text, Is.EqualTo("panel:acme.admin"));
        Snap("admin-audit");
    }

    [Test]
    [Description("A3: the audit trail a page at a time by cursor, filtered by user and by time")]
    public void A3_AuditTrail_MoreByCursor_FilteredByUserAndTime()
    {
        AdminSignInToSecurity("acme.admin");
        Open("admin/user.html?id=106");
        WaitVisible("user-body");
        Browser.FindElement(By.CssSelector("input[name='user-state'][value='on']")).Click();
        Click("user-save");
        WaitText("user-result", "Saved:");

        // Ten more entries: the remember period, 1 and 2 days in turn.
        Open("admin/security.html");
        WaitFor(() => ById("remember-current").Text != "…", "the remember period");
        for (var i = 0; i < 10; i++)
        {
            SavePeriod("remember", 1 + (i % 2), i % 2 == 0 ? "1 day" : "2 days");
        }

        Open("admin/audit.html");
        WaitFor(() => Browser.FindElements(By.CssSelector("#audit tbody tr")).Count == 10, "the first page of ten");
        Assert.That(Browser.FindElement(By.CssSelector("#audit tbody tr")).FindElement(By.CssSelector(".change")).Text, Is.EqualTo("now 2 days"), "newest first");
        WaitVisible("audit-more").Click();
        WaitFor(() => Browser.FindElements(By.CssSelector("#audit tbody tr")).Count == 11, "the next page");
        WaitFor(() => !ById("audit-more").Displayed, "no more pages");
        var last = Browser.FindElements(By.CssSelector("#audit tbody tr"))[^1];
        Assert.That(last.GetAttribute("data-action"), Is.EqualTo("update_selected"));
        Assert.That(last.FindElement(By.CssSelector(".what")).Text, Does.Contain("plain@acme.example"));

        ById("audit-user").FindElement(By.XPath("option[. = 'plain@acme.example']")).Click();
        Click("audit-show");
        WaitFor(() => Browser.FindElements(By.CssSelector("#audit tbody tr")).Count == 1, "only the entry about plain@acme.example");

        ById("audit-user").FindElement(By.XPath("option[. = 'All users']")).Click();
        SetLocalMoment("audit-to", TimeSpan.FromDays(-1));
        Click("audit-show");
        WaitText("audit-message", "No changes match.");
        Assert.That(Browser.FindElements(By.CssSelector("#audit tbody tr")), Is.Empty);
    }

    [Test]
    [Description("D1 and G1 periods are shown to a viewer, who cannot change them or cancel a scheduled change (13 if forced)")]
    public void Viewer_SeesPeriodsAndScheduledChanges_CannotChangeThem()
    {
        AdminSignInToSecurity("acme.admin");
        SavePeriod("remember", 30, "30 days");
        SavePeriod("enrol", 14, "14 days");
        SetLocalMoment("default-from", TimeSpan.FromDays(2));
        Browser.FindElement(By.CssSelector("input[name='default-state'][value='on']")).Click();
        Click("default-save");
        WaitText("default-result", "Scheduled: from ");
        WaitFor(() => Browser.FindElements(By.CssSelector("#scheduled li")).Count == 1, "the scheduled default");
        Assert.That(ById("default-current").Text, Is.EqualTo("Off"), "the default changes only at its moment");

        AdminSignInToSecurity("acme.viewer");
        Assert.That(ById("remember-current").Text, Is.EqualTo("30 days"));
        Assert.That(ById("enrol-current").Text, Is.EqualTo("14 days"));
        Assert.That(ById("remember-days").GetAttribute("value"), Is.EqualTo("30"));
        WaitFor(() => Browser.FindElements(By.CssSelector("#scheduled li")).Count == 1, "the scheduled change, listed for the viewer too");
        var controls = new[] { "remember-days", "remember-save", "enrol-days", "enrol-save", "all-from", "default-from" }.Select(ById)
            .Append(Browser.FindElement(By.CssSelector("#scheduled li button")));
        Assert.That(controls.Where(c => c.Enabled).Select(c => c.GetAttribute("id") ?? c.Text), Is.Empty);
        ScrollTo("remember-title");
        Snap("admin-security-periods-viewer");

        Browser.ExecuteScript("document.querySelectorAll('[data-update]').forEach(c => c.disabled = false);");
        Type("remember-days", "1");
        Click("remember-save");
        WaitText("remember-result", "Operation not permitted");
        Browser.FindElement(By.CssSelector("#scheduled li button")).Click();
        WaitText("scheduled-result", "Operation not permitted");
        Open("admin/audit.html");
        WaitFor(() => Browser.FindElements(By.CssSelector("#audit tbody tr")).Count == 3, "the viewer reads the trail: two periods and the scheduled default");
    }
}
