using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Specification;
using Navixy.TwoFactor.Tests.Diagnostics;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Tests.Challenges;

/// <summary>
/// An engine for tests of the second step: fake clock, recording sender, captured logs, and an account 7 of a
/// tenant with email codes on.
/// </summary>
public sealed class ChallengeTestHost : IDisposable
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly string KeyMaterial = Convert.ToBase64String(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());

    public const long Account = 7;

    private ChallengeTestHost(ServiceProvider provider, FakeTimeProvider time, RecordingEmailSender sender, CapturingLoggerProvider logs)
    {
        Provider = provider;
        Time = time;
        Sender = sender;
        Logs = logs;
    }

    public TenantId Tenant { get; } = new(42);

    public ServiceProvider Provider { get; }

    public FakeTimeProvider Time { get; }

    public RecordingEmailSender Sender { get; }

    public CapturingLoggerProvider Logs { get; }

    public ITwoFactorChallenges Challenges => Provider.GetRequiredService<ITwoFactorChallenges>();

    public ITotpEnrollment Enrollment => Provider.GetRequiredService<ITotpEnrollment>();

    public ITwoFactorAdministration Administration => Provider.GetRequiredService<ITwoFactorAdministration>();

    /// <summary>One time step of the default parameters.</summary>
    public static TimeSpan Step { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Builds the engine; <paramref name="configure"/> runs after the engine's registration, so it can replace services.</summary>
    public static async Task<ChallengeTestHost> CreateAsync(
        Action<IServiceCollection>? configure = null,
        bool withSender = true,
        string? keyMaterial = null,
        FactorTypes factors = FactorTypes.Email)
    {
        var time = new FakeTimeProvider(Epoch);
        var sender = new RecordingEmailSender();
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        if (withSender)
        {
            services.AddSingleton<IEmailCodeSender>(sender);
        }

        services.AddNavixyTwoFactor(o =>
        {
            o.KeyMaterial = keyMaterial ?? KeyMaterial;
            o.Totp.RecoveryCodeIterations = TotpOptions.MinRecoveryCodeIterations; // the suite stays fast
        }).UseInMemoryStores();
        configure?.Invoke(services);
        var host = new ChallengeTestHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }), time, sender, logs);

        await host.Provider.GetRequiredService<ITwoFactorDirectory>().RegisterAccountAsync(host.Tenant, Account);
        var updated = await host.Provider.GetRequiredService<ITwoFactorSettings>().UpdateAsync(host.Tenant, SettingsTarget.Selected(Account), TwoFactorSetting.Allowed(factors));
        Assert.That(updated.Succeeded, Is.True);
        return host;
    }

    /// <summary>Starts a challenge for the account that must start; answers the token and the code sent.</summary>
    public async Task<(string Token, string Code)> StartAsync()
    {
        var started = await Challenges.StartAsync(Tenant, Account);
        if (started.Outcome == ChallengeStartOutcome.TooSoon)
        {
            // C9: a code went to the account less than a minute ago; wait as the answer says, then start.
            Time.Advance(started.RetryAfter);
            started = await Challenges.StartAsync(Tenant, Account);
        }

        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Started));
        return (started.Token!, Sender.LastCode(Tenant, Account));
    }

    /// <summary>
    /// Enrols <paramref name="principalId"/> (the account by default) with an authenticator; answers the app and the recovery
    /// codes, and moves the clock one time step on so that the next code is of a step not yet used.
    /// </summary>
    public async Task<(TestAuthenticator App, IReadOnlyList<string> RecoveryCodes)> EnrolAsync(long principalId = Account)
    {
        var begun = await Enrollment.BeginAsync(Tenant, principalId, "Fleet", "driver@example.com");
        if (begun.Outcome == TotpEnrollmentOutcome.StepUpRequired)
        {
            // T4: a principal that passes by email binds an app only behind a fresh pass.
            begun = await Enrollment.BeginAsync(Tenant, principalId, "Fleet", "driver@example.com", await StepUpByEmailAsync(principalId));
        }

        Assert.That(begun.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Begun));
        var app = TestAuthenticator.From(begun);
        var confirmed = await Enrollment.ConfirmAsync(Tenant, principalId, app.CodeAt(Time.GetUtcNow()));
        Assert.That(confirmed.Outcome, Is.EqualTo(TotpEnrollmentOutcome.Confirmed));
        Time.Advance(Step);
        return (app, confirmed.RecoveryCodes);
    }

    /// <summary>
    /// Passes an email challenge of <paramref name="principalId"/> and answers its token, step-up proof for a sensitive
    /// change; then moves the clock past the send cooldown (policy.md C9), so that the test's next email start is not too soon.
    /// </summary>
    public async Task<string> StepUpByEmailAsync(long principalId = Account)
    {
        var started = await Challenges.StartWithFactorAsync(Tenant, principalId, FactorTypes.Email);
        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Started), "step-up start");
        var verified = await Challenges.VerifyAsync(Tenant, started.Token, Sender.LastCode(Tenant, principalId));
        Assert.That(verified.Outcome, Is.EqualTo(ChallengeVerifyOutcome.Passed), "step-up verify");
        Time.Advance(TimeSpan.FromMinutes(1));
        Sender.Clear();
        return started.Token!;
    }

    /// <summary>Starts a challenge for the account that must start; answers its token.</summary>
    public async Task<string> StartTokenAsync(FactorTypes expected)
    {
        var started = await Challenges.StartAsync(Tenant, Account);
        Assert.That(started.Outcome, Is.EqualTo(ChallengeStartOutcome.Started));
        Assert.That(started.Factor, Is.EqualTo(expected));
        return started.Token!;
    }

    public static string WrongCode(string code) => string.Concat(code.Select(c => (char)('0' + ((c - '0' + 1) % 10))));

    public void Dispose() => Provider.Dispose();
}
