using System.Drawing;

namespace Navixy.TwoFactor.Sample.BrowserTests;

/// <summary>Accessibility basics: labelled fields, keyboard-only use, one one-time-code field on the code step.</summary>
public sealed class AccessibilityTests : PageTest
{
    [Test]
    public void SignIn_ByKeyboardOnly_CodeStepHasOneOneTimeCodeFieldAndEveryFieldLabelled()
    {
        AdminSignInToSecurity("acme.admin");
        PreviewAllUsers(on: true, "email");
        ApplyAllUsers();

        Open("sign-in.html");
        WaitVisible("login");
        Assert.That(UnlabelledFields(), Is.Empty);
        var typing = Browser.SwitchTo().ActiveElement();
        Assert.That(typing.GetAttribute("id"), Is.EqualTo("login"), "the login field has the focus");
        typing.SendKeys("driver@acme.example" + Keys.Tab);
        Browser.SwitchTo().ActiveElement().SendKeys(PagesServer.SeedPassword("driver@acme.example") + Keys.Enter);

        WaitVisible("code-step");
        WaitFor(() => Browser.SwitchTo().ActiveElement().GetAttribute("id") == "code", "the focus to move to the code field");
        Assert.That(Browser.FindElements(By.CssSelector("[autocomplete='one-time-code']")), Has.Count.EqualTo(1));
        Assert.That(ById("code").GetAttribute("inputmode"), Is.EqualTo("numeric"));
        Assert.That(UnlabelledFields(), Is.Empty);
        Browser.SwitchTo().ActiveElement().SendKeys(Server.LatestCode("driver@acme.example") + Keys.Enter);
        WaitSignedIn("driver@acme.example");
    }

    [Test]
    public void AdminPages_EveryFieldLabelled_SwitchUsableByKeyboard()
    {
        AdminSignInToSecurity("acme.admin");
        Assert.That(UnlabelledFields(), Is.Empty);

        // Space selects a radio button and ticks a box; Enter on the button previews.
        var on = Browser.FindElement(By.CssSelector("input[name='all-state'][value='on']"));
        on.SendKeys(Keys.Space);
        Assert.That(on.Selected, Is.True);
        ById("all-preview").SendKeys(Keys.Enter);
        WaitText("all-result", "Preview: this changes 3 accounts");
        WaitFor(() => Browser.SwitchTo().ActiveElement().GetAttribute("id") == "all-apply", "the focus to move to Apply");
        Browser.SwitchTo().ActiveElement().SendKeys(Keys.Enter);
        WaitText("all-result", "Applied: 3 accounts changed");

        // The periods save by keyboard too: type the days, Enter.
        ById("remember-days").Clear();
        ById("remember-days").SendKeys("7" + Keys.Enter);
        WaitText("remember-current", "7 days");
        Assert.That(UnlabelledFields(), Is.Empty);

        Open("admin/audit.html");
        WaitText("audit-message", "changes shown");
        Assert.That(UnlabelledFields(), Is.Empty);

        Open("admin/users.html");
        WaitFor(() => Browser.FindElements(By.CssSelector("#users tbody tr")).Count == 6, "the users table");
        Open("admin/user.html?id=106");
        WaitVisible("user-body");
        Assert.That(UnlabelledFields(), Is.Empty);
    }

    /// <summary>Visible fields with neither a label nor an aria-label.</summary>
    private string[] UnlabelledFields() => ((IReadOnlyCollection<object>)Browser.ExecuteScript(
        "return [...document.querySelectorAll('input, select, textarea')]"
        + ".filter(e => e.type !== 'hidden' && e.offsetParent !== null && e.labels.length === 0 && !e.getAttribute('aria-label'))"
        + ".map(e => e.id || e.name);")!).Select(o => (string)o).ToArray();
}

/// <summary>Every page at a phone's width: nothing wider than the screen.</summary>
public sealed class PhoneWidthTests : PageTest
{
    protected override Size Window => new(390, 844);

    [Test]
    public void EveryPage_FitsAPhoneScreen_WithoutSidewaysScrolling()
    {
        // A desktop window cannot be made this narrow: emulate the phone's screen (it holds across navigations).
        Browser.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = Window.Width,
            ["height"] = Window.Height,
            ["deviceScaleFactor"] = 1,
            ["mobile"] = true,
        });
        Open(string.Empty);
        AssertFits("start page");
        AdminSignInToSecurity("acme.admin");
        AssertFits("Settings → Security");
        PreviewAllUsers(on: true, "email", "totp");
        ApplyAllUsers();
        Snap("phone-admin-security");

        Open("admin/users.html");
        WaitFor(() => Browser.FindElements(By.CssSelector("#users tbody tr")).Count == 6, "the users table");
        AssertFits("Users");
        Snap("phone-admin-users");
        Open("admin/audit.html");
        WaitText("audit-message", "shown");
        AssertFits("Audit trail");
        Open("admin/user.html?id=101");
        WaitVisible("user-body");
        AssertFits("Edit user");

        EnterPassword("dispatcher@acme.example");
        WaitVisible("code-step");
        AssertFits("code step");
        Snap("phone-sign-in-code");
        EnterCode(Server.LatestCode("dispatcher@acme.example"));
        WaitSignedIn("dispatcher@acme.example");

        Server.Clock.Advance(TimeSpan.FromSeconds(61));
        Open("enrol.html");
        WaitVisible("intro");
        Click("start");
        WaitVisible("step-up");
        Type("step-up-code", Server.LatestCode("dispatcher@acme.example"));
        Click("step-up-verify");
        WaitVisible("scan");
        AssertFits("enrolment QR code");
    }

    private void AssertFits(string page)
    {
        var (scrollWidth, innerWidth) = (
            Convert.ToInt64(Browser.ExecuteScript("return document.documentElement.scrollWidth;"), System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToInt64(Browser.ExecuteScript("return window.innerWidth;"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(innerWidth, Is.EqualTo(Window.Width), "the page is seen at the phone's width");
        Assert.That(scrollWidth, Is.LessThanOrEqualTo(innerWidth), $"{page} is wider than the {innerWidth} px screen");
    }
}
