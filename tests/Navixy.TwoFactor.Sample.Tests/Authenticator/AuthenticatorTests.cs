using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Cryptography;

namespace Navixy.TwoFactor.Sample.Tests.Authenticator;

/// <summary>
/// A fresh sample server on a fake clock for every test, with helpers to drive authenticator enrolment, sign-ins and
/// step-ups over HTTP. Codes come from <see cref="TestAuthenticator"/> at the fake clock's time.
/// </summary>
public abstract class AuthenticatorTests
{
    protected const string Fleet = "fleet@acme.example";
    protected const string Plain = "plain@acme.example";
    protected const string WrongCodeText = """{"success":false,"status":{"code":282,"description":"Wrong authentication code."}}""";

    private protected FakeTimeProvider Clock { get; private set; } = null!;

    private protected SampleServer Server { get; private set; } = null!;

    [SetUp]
    public async Task StartServerAsync()
    {
        Clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // The lowest PBKDF2 count the library accepts for recovery codes keeps confirmations quick; still real PBKDF2.
        Server = await SampleServer.StartAsync(s => s.AddSingleton<TimeProvider>(Clock), "TwoFactor:Totp:RecoveryCodeIterations=10000");
    }

    [TearDown]
    public async Task StopServerAsync() => await Server.DisposeAsync();

    /// <summary>Sets every user of the panel login's dealer to <c>allowed</c> with these factor types.</summary>
    private protected async Task AllowForAllAsync(string panelLogin, params string[] factorTypes)
    {
        var panel = await Server.PanelHashAsync(panelLogin);
        var update = await Server.PostAsync(
            "panel/user/mfa/settings/update",
            new { target = new { type = "all" }, settings = new { type = "allowed", factor_types = factorTypes } },
            panel);
        Assert.That(update.Success, Is.True, update.Text);
    }

    /// <summary>The app's code now.</summary>
    private protected string AppCode(string secret) => TestAuthenticator.Code(secret, Clock.GetUtcNow());

    /// <summary>Moves the clock to the next 30-second step, so the app shows a code not used yet.</summary>
    private protected void NextStep() => Clock.Advance(TimeSpan.FromSeconds(30));

    /// <summary>
    /// Moves the clock past the resend interval (one minute, two 30-second steps), so that a start may email a code
    /// again (policy.md C9) and the app shows a code not used yet.
    /// </summary>
    private protected void CooldownPassed() => Clock.Advance(TimeSpan.FromMinutes(1));

    /// <summary>
    /// After the resend interval, starts a step-up by email and passes it with the code from the outbox; answers the
    /// <c>step_up_hash</c>.
    /// </summary>
    private protected async Task<string> PassedEmailStepUpAsync(string fullHash, string login = Fleet)
    {
        CooldownPassed();
        var start = await Server.PostAsync("user/auth/step_up/start", new { factor_type = "email" }, fullHash);
        Assert.That(start.Success, Is.True, start.Text);
        var stepUpHash = start.Body.GetProperty("step_up_hash").GetString()!;
        var verify = await Server.PostAsync("user/auth/step_up/verify", new { step_up_hash = stepUpHash, code = Server.LatestCode(login) }, fullHash);
        Assert.That(verify.Success, Is.True, verify.Text);
        return stepUpHash;
    }

    /// <summary>
    /// Begins a first enrolment with a full session and answers the secret. The user's dealer allows email, so the first
    /// app needs a passed step-up too (policy.md T4): one by email comes first.
    /// </summary>
    private protected async Task<string> BeginAsync(string fullHash, string login = Fleet)
    {
        var stepUp = await PassedEmailStepUpAsync(fullHash, login);
        var begun = await Server.PostAsync("user/auth/totp/begin", new { step_up_hash = stepUp }, fullHash);
        Assert.That(begun.Success, Is.True, begun.Text);
        return begun.Body.GetProperty("secret").GetString()!;
    }

    /// <summary>Begins and confirms an enrolment with a full session; answers the secret and the recovery codes.</summary>
    private protected async Task<(string Secret, string[] RecoveryCodes)> EnrolAsync(string fullHash, string login = Fleet)
    {
        var secret = await BeginAsync(fullHash, login);
        var confirmed = await Server.PostAsync("user/auth/totp/confirm", new { code = AppCode(secret) }, fullHash);
        Assert.That(confirmed.Success, Is.True, confirmed.Text);
        return (secret, RecoveryCodes(confirmed));
    }

    /// <summary>
    /// With email and authenticator apps allowed for all of dealer 1: signs <paramref name="login"/> in with an email code,
    /// enrols an app behind an emailed step-up, and moves past the resend interval (so email may be sent again, and the
    /// app shows a fresh code). Answers the full session, the secret and the recovery codes.
    /// </summary>
    private protected async Task<(string FullHash, string Secret, string[] RecoveryCodes)> SignInAndEnrolAsync(string login = Fleet)
    {
        await AllowForAllAsync("acme.admin", "email", "totp");
        var full = await Server.FullHashWithCodeAsync(login);
        var (secret, codes) = await EnrolAsync(full, login);
        CooldownPassed();
        return (full, secret, codes);
    }

    /// <summary>Signs in with the password; asserts the second step is the app and answers the restricted hash.</summary>
    private protected async Task<string> PendingWithAppAsync(string login = Fleet)
    {
        var auth = await Server.UserAuthAsync(login);
        Assert.That(auth.Success, Is.True, auth.Text);
        Assert.That(auth.Body.GetProperty("factor_type").GetString(), Is.EqualTo("totp"), auth.Text);
        return auth.Hash;
    }

    /// <summary>Starts and passes a step-up with the app; answers the <c>step_up_hash</c>.</summary>
    private protected async Task<string> PassedStepUpAsync(string fullHash, string secret)
    {
        var start = await Server.PostAsync("user/auth/step_up/start", new { }, fullHash);
        Assert.That(start.Success, Is.True, start.Text);
        Assert.That(start.Body.GetProperty("factor_type").GetString(), Is.EqualTo("totp"), start.Text);
        var stepUpHash = start.Body.GetProperty("step_up_hash").GetString()!;
        var verify = await Server.PostAsync("user/auth/step_up/verify", new { step_up_hash = stepUpHash, code = AppCode(secret) }, fullHash);
        Assert.That(verify.Success, Is.True, verify.Text);
        NextStep();
        return stepUpHash;
    }

    /// <summary>The <c>value</c> of <c>user/auth/totp/status</c>, as compact JSON.</summary>
    private protected async Task<string> StatusAsync(string fullHash)
    {
        var status = await Server.PostAsync("user/auth/totp/status", new { }, fullHash);
        Assert.That(status.Success, Is.True, status.Text);
        return status.Value;
    }

    private protected static string[] RecoveryCodes(WireResponse response) =>
        [.. response.Body.GetProperty("recovery_codes").EnumerateArray().Select(c => c.GetString()!)];
}
