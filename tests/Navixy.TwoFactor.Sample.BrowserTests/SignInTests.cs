namespace Navixy.TwoFactor.Sample.BrowserTests;

/// <summary>The user's sign-in and authenticator enrolment pages.</summary>
public sealed class SignInTests : PageTest
{
    [Test]
    [Description("T4 then login: enrol an authenticator by the QR code's secret behind a step-up, recovery codes once, then sign in with the app, the email alternative's wait, and a recovery code")]
    public void AuthenticatorEnrolment_ByQrSecret_ThenSignInWithAppAndRecoveryCode()
    {
        AdminSignInToSecurity("acme.admin");
        PreviewAllUsers(on: true, "email", "totp");
        ApplyAllUsers();

        EnterPassword("fleet@acme.example");
        WaitVisible("code-step");
        EnterCode(Server.LatestCode("fleet@acme.example"));
        WaitSignedIn("fleet@acme.example");

        // Codes are emailed at most once a minute: the step-up's code comes a minute after the login's.
        Server.Clock.Advance(TimeSpan.FromSeconds(61));
        Browser.FindElement(By.LinkText("Set up an authenticator app")).Click();
        WaitText("status-line", "No authenticator app yet");
        Snap("enrol-start");
        Click("start");
        WaitText("step-up-hint", "we emailed you a code");
        Type("step-up-code", Server.LatestCode("fleet@acme.example"));
        Click("step-up-verify");

        WaitVisible("scan");
        WaitFor(() => (bool)Browser.ExecuteScript("const q = document.getElementById('qr'); return q.src.startsWith('blob:') && q.complete && q.naturalWidth > 0;")!, "the QR code image to load");
        var secret = ById("secret").Text;
        Assert.That(secret.Replace(" ", string.Empty, StringComparison.Ordinal), Does.Match("^[A-Z2-7]{16,}$"));
        Snap("enrol-qr");

        Type("app-code", Totp(secret, Server.Clock.GetUtcNow()));
        Click("confirm");
        WaitVisible("codes");
        var recoveryCodes = Browser.FindElements(By.CssSelector("#recovery-codes li")).Select(li => li.Text).ToArray();
        Assert.That(recoveryCodes, Has.Length.EqualTo(10));
        Assert.That(ById("secret").Text, Is.Empty, "the secret is gone from the page once confirmed");
        Snap("enrol-recovery-codes");

        // Sign out, and in again at the app's next step: the code step asks for the app's code.
        Browser.FindElement(By.LinkText("Done")).Click();
        WaitVisible("sign-out").Click();
        Server.Clock.Advance(TimeSpan.FromSeconds(30));
        EnterPassword("fleet@acme.example");
        WaitText("code-label", "Code from your authenticator app");
        Assert.That(ById("switch-email").Displayed, Is.True, "email is the alternative factor");
        Assert.That(ById("resend").Displayed, Is.False);

        // The step-up's email went out 30 s ago: the alternative says how long to wait.
        Click("switch-email");
        var wait = WaitText("code-message", "A code was emailed to you less than a minute ago. You can ask for one in");
        Assert.That(wait, Does.Match(@"in (2[0-9]|30) s\."));
        Snap("sign-in-authenticator");
        EnterCode(Totp(secret, Server.Clock.GetUtcNow()));
        WaitSignedIn("fleet@acme.example");

        // A recovery code works once instead of a code.
        Click("sign-out");
        EnterPassword("fleet@acme.example");
        WaitVisible("code-step");
        Click("use-recovery");
        Assert.That(ById("code-label").Text, Is.EqualTo("Recovery code"));
        Snap("sign-in-recovery-code");
        EnterCode(recoveryCodes[3]);
        WaitSignedIn("fleet@acme.example");
    }

    [Test]
    [Description("C4 and C5: wrong codes until the sign-in locks; the page shows the wait, counting down, never another wrong-code message")]
    public void WrongCodes_UntilLockout_ShowTheWait()
    {
        AdminSignInToSecurity("acme.admin");
        PreviewAllUsers(on: true, "email");
        ApplyAllUsers();

        EnterPassword("plain@acme.example");
        WaitVisible("code-step");
        var code = Server.LatestCode("plain@acme.example");
        var wrong = string.Concat(code.Select(c => (char)('0' + ((c - '0' + 1) % 10))));
        var attempts = 0;
        while (!ById("code-message").Text.Contains("locked", StringComparison.Ordinal))
        {
            Assert.That(++attempts, Is.LessThanOrEqualTo(6), "the sign-in locks after five wrong codes");
            EnterCode(wrong);
            WaitFor(() => ById("code-message").Text.Contains("Wrong code", StringComparison.Ordinal) || ById("code-message").Text.Contains("locked", StringComparison.Ordinal), "an answer to the code");
            if (ById("code-message").Text.Contains("Wrong code", StringComparison.Ordinal))
            {
                // Let the next answer be seen as new.
                Browser.ExecuteScript("document.getElementById('code-message').textContent = '';");
            }
        }

        var message = ById("code-message").Text;
        Assert.That(message, Does.Match(@"Too many wrong codes: sign-in is locked\. Try again in [0-9]+ s\."));
        Assert.That(ById("verify").Enabled, Is.False);
        Assert.That(ById("code").Enabled, Is.False);
        Assert.That(ById("resend").Displayed, Is.False, "no resend while locked");
        Snap("sign-in-locked");

        // Even the right code is refused now: the page asks the user to start over.
        Click("start-over");
        WaitVisible("password-step");
    }
}
