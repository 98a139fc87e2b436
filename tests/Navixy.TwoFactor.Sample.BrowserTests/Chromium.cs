using System.Drawing;
using OpenQA.Selenium.Chrome;

namespace Navixy.TwoFactor.Sample.BrowserTests;

/// <summary>
/// Debian's headless Chromium driven through Debian's chromedriver: nothing is downloaded (no Selenium Manager), a fresh
/// profile per browser, every background network feature off (the machine's network is closed).
/// </summary>
internal static class Chromium
{
    public const string BrowserPath = "/usr/bin/chromium";
    public const string DriverDirectory = "/usr/bin";
    public const string DriverFile = "chromedriver";

    /// <summary>Starts a browser; fails the test loudly (never skips it) when Chromium or its driver is missing.</summary>
    public static (ChromeDriver Driver, string ProfileDirectory) Start(Size window)
    {
        if (!File.Exists(BrowserPath) || !File.Exists(Path.Combine(DriverDirectory, DriverFile)))
        {
            Assert.Fail($"The browser tests need Debian's Chromium at {BrowserPath} and its driver at {DriverDirectory}/{DriverFile}: "
                + "apt-get install -y chromium chromium-driver (.ci/run installs them when missing).");
        }

        var profile = Directory.CreateTempSubdirectory("navixy-chromium-").FullName;
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--user-data-dir=" + profile,
            $"--window-size={window.Width},{window.Height}");
        var service = ChromeDriverService.CreateDefaultService(DriverDirectory, DriverFile);
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
        return (driver, profile);
    }
}
