using System.Drawing;
using NUnit.Framework.Interfaces;
using OpenQA.Selenium.Chrome;

namespace Navixy.TwoFactor.Sample.BrowserTests;

/// <summary>
/// One sample server and one fresh Chromium per test, with helpers that act as a person would: type, press, read the
/// page. Every page the test looks at is screenshotted; on failure those screenshots and the last page are saved
/// under the test's work directory (<c>browser-screenshots/</c>) and attached to the result. With
/// <c>NAVIXY_PAGES_SCREENSHOTS=&lt;folder&gt;</c> the named screenshots are also written there (the README's images).
/// </summary>
public abstract class PageTest
{
    /// <summary>The environment variable that asks for the README screenshots, e.g. <c>docs/images</c>.</summary>
    public const string ScreenshotsVariable = "NAVIXY_PAGES_SCREENSHOTS";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly List<(string Name, Screenshot Shot)> _shots = [];
    private string? _profile;

    internal PagesServer Server { get; private set; } = null!;

    internal ChromeDriver Browser { get; private set; } = null!;

    /// <summary>The window size a test starts with; phone tests use a narrow one.</summary>
    protected virtual Size Window => new(1200, 900);

    [SetUp]
    public async Task StartAsync()
    {
        Server = await PagesServer.StartAsync();
        (Browser, _profile) = Chromium.Start(Window);
    }

    [TearDown]
    public async Task StopAsync()
    {
        try
        {
            if (TestContext.CurrentContext.Result.Outcome.Status == TestStatus.Failed && Browser is not null)
            {
                SaveFailureScreenshots();
            }
        }
        finally
        {
            Browser?.Quit();
            Browser?.Dispose();
            if (_profile is not null && Directory.Exists(_profile))
            {
                try
                {
                    Directory.Delete(_profile, recursive: true);
                }
                catch (IOException)
                {
                    // Chromium may still be letting go of its profile; it is a temporary folder.
                }
            }

            if (Server is not null)
            {
                await Server.DisposeAsync();
            }
        }
    }

    /// <summary>Opens a page of the sample, e.g. <c>admin/sign-in.html</c>.</summary>
    protected void Open(string path) => Browser.Navigate().GoToUrl(Server.Url(path));

    protected IWebElement ById(string id) => Browser.FindElement(By.Id(id));

    /// <summary>Waits until <paramref name="condition"/> holds; fails with <paramref name="what"/> and the page's messages.</summary>
    protected void WaitFor(Func<bool> condition, string what)
    {
        var end = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                if (condition())
                {
                    return;
                }
            }
            catch (WebDriverException)
            {
                // The element is not there yet, or was replaced: look again.
            }

            if (DateTime.UtcNow > end)
            {
                Assert.Fail($"Waited {Patience.TotalSeconds} s for {what}. Page {Browser.Url}; messages: {Messages()}");
            }

            Thread.Sleep(100);
        }
    }

    protected IWebElement WaitVisible(string id)
    {
        WaitFor(() => ById(id).Displayed, "#" + id + " to be shown");
        return ById(id);
    }

    /// <summary>Waits until the element's text contains <paramref name="text"/> and answers the whole text.</summary>
    protected string WaitText(string id, string text)
    {
        WaitFor(() => ById(id).Displayed && ById(id).Text.Contains(text, StringComparison.Ordinal), $"#{id} to say \"{text}\"");
        return ById(id).Text;
    }

    protected void Type(string id, string text)
    {
        var field = ById(id);
        field.Clear();
        field.SendKeys(text);
    }

    protected void Click(string id) => ById(id).Click();

    /// <summary>Scrolls the element to the top of the window, for a screenshot of that part of a page.</summary>
    protected void ScrollTo(string id) => Browser.ExecuteScript("arguments[0].scrollIntoView({ block: 'start' });", ById(id));

    /// <summary>Every visible status message on the page, for failure reports.</summary>
    protected string Messages() => string.Join(" | ", Browser.FindElements(By.CssSelector(".message"))
        .Where(m => m.Displayed)
        .Select(m => m.Text));

    /// <summary>Screenshots the page: kept for a failure report, and written for the README when asked.</summary>
    protected void Snap(string name)
    {
        var shot = Browser.GetScreenshot();
        _shots.Add((name, shot));
        if (Environment.GetEnvironmentVariable(ScreenshotsVariable) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            shot.SaveAsFile(Path.Combine(folder, name + ".png"));
        }
    }

    // Admin Panel steps.
    protected void AdminSignInToSecurity(string login, string? snap = null)
    {
        Open("admin/sign-in.html");
        Type("panel-login", login);
        Type("panel-password", PagesServer.SeedPassword(login));
        if (snap is not null)
        {
            Snap(snap);
        }

        ById("panel-password").SendKeys(Keys.Enter);
        WaitFor(() => Browser.Url.EndsWith("/admin/security.html", StringComparison.Ordinal), "the Security page");
        WaitFor(() => ById("default-current").Text != "…", "the default for new users to load");
        WaitFor(() => ById("remember-current").Text != "…" && ById("enrol-current").Text != "…", "the remember and enrolment periods to load");
    }

    /// <summary>On Settings → Security: saves the remember (<c>remember</c>) or enrolment (<c>enrol</c>) period in days.</summary>
    protected void SavePeriod(string prefix, int days, string shown)
    {
        Type(prefix + "-days", days.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Click(prefix + "-save");
        WaitText(prefix + "-current", shown);
    }

    /// <summary>Sets a date-time field to the browser's local time <paramref name="ahead"/> from now.</summary>
    /// <remarks>By script: typing into Chromium's date-time segments depends on the browser's locale.</remarks>
    protected void SetLocalMoment(string id, TimeSpan ahead) => Browser.ExecuteScript(
        "const d = new Date(Date.now() + arguments[1]); const p = (n) => String(n).padStart(2, '0');"
        + "arguments[0].value = d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes());",
        ById(id),
        (long)ahead.TotalMilliseconds);

    /// <summary>On Settings → Security: sets the all-users switch, previews it, and answers the preview's text (not applied yet).</summary>
    protected string PreviewAllUsers(bool on, params string[] factors)
    {
        Browser.FindElement(By.CssSelector($"input[name='all-state'][value='{(on ? "on" : "off")}']")).Click();
        foreach (var box in Browser.FindElements(By.CssSelector("input[name='all-factor']")))
        {
            if (box.Enabled && box.Selected != factors.Contains(box.GetAttribute("value")))
            {
                box.Click();
            }
        }

        Click("all-preview");
        return WaitText("all-result", "Preview: ");
    }

    protected string ApplyAllUsers()
    {
        WaitVisible("all-apply").Click();
        return WaitText("all-result", "Applied:");
    }

    /// <summary>On the Users page: the row of one login.</summary>
    protected IWebElement UserRow(string login)
    {
        WaitFor(() => Browser.FindElements(By.CssSelector("#users tbody tr")).Count > 0, "the users table");
        return Browser.FindElement(By.CssSelector($"#users tbody tr[data-login='{login}']"));
    }

    protected IReadOnlyList<string> ListedLogins()
    {
        WaitFor(() => Browser.FindElements(By.CssSelector("#users tbody tr")).Count > 0, "the users table");
        return [.. Browser.FindElements(By.CssSelector("#users tbody tr")).Select(r => r.GetAttribute("data-login") ?? string.Empty)];
    }

    // User sign-in steps.
    protected void EnterPassword(string login, string? snap = null)
    {
        Open("sign-in.html");
        WaitVisible("login");
        Type("login", login);
        Type("password", PagesServer.SeedPassword(login));
        if (snap is not null)
        {
            Snap(snap);
        }

        Click("sign-in");
    }

    protected void EnterCode(string code)
    {
        WaitVisible("code");
        Type("code", code);
        Click("verify");
    }

    protected string WaitSignedIn(string login)
    {
        WaitVisible("signed-in");
        return WaitText("me-login", login);
    }

    protected static string Totp(string secret, DateTimeOffset at) =>
        new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret.Replace(" ", string.Empty, StringComparison.Ordinal))).ComputeTotp(at.UtcDateTime);

    private void SaveFailureScreenshots()
    {
        var folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "browser-screenshots", TestContext.CurrentContext.Test.Name);
        Directory.CreateDirectory(folder);
        try
        {
            _shots.Add(("at-failure", Browser.GetScreenshot()));
        }
        catch (WebDriverException)
        {
            // The browser itself failed: the earlier screenshots are still saved.
        }

        for (var i = 0; i < _shots.Count; i++)
        {
            var path = Path.Combine(folder, $"{i + 1:D2}-{_shots[i].Name}.png");
            _shots[i].Shot.SaveAsFile(path);
            TestContext.AddTestAttachment(path);
        }

        TestContext.Out.WriteLine($"Screenshots of each page this test saw: {folder}");
    }
}
