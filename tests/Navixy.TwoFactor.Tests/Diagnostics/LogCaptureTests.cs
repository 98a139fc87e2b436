using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Specification;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Tests.Challenges;
using Navixy.TwoFactor.Tests.Stores;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Tests.Diagnostics;

/// <summary>
/// security.md item 7: captured log output and audit events of full logins and authenticator lifecycles contain no code,
/// token, secret, otpauth URI or recovery code.
/// </summary>
public class LogCaptureTests
{
    [Test]
    public async Task FullLogins_CapturedLogsAndAuditEvents_ContainNoCodeAndNoToken()
    {
        var store = new SwitchableChallengeStore();
        var sink = new StringSink();
        using var host = await ChallengeTestHost.CreateAsync(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<IChallengeStore>(store));
            services.AddSingleton<ITwoFactorAuditSink>(sink);
        });
        var challenges = host.Challenges;
        var tokens = new List<string>();

        // A login with every twist: wrong code, hostile code, resend too soon, resend, pass, replay.
        var (token, code) = await host.StartAsync();
        tokens.Add(token);
        await challenges.VerifyAsync(host.Tenant, token, ChallengeTestHost.WrongCode(code));
        await challenges.VerifyAsync(host.Tenant, token, " " + code);
        await challenges.ResendAsync(host.Tenant, token);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        await challenges.ResendAsync(host.Tenant, token);
        var newCode = host.Sender.LastCode(host.Tenant, ChallengeTestHost.Account);
        await challenges.VerifyAsync(host.Tenant, token, newCode);
        await challenges.VerifyAsync(host.Tenant, token, newCode);

        // A login locked out, one expired, one whose delivery failed, one whose store failed.
        for (var i = 0; i < 2; i++)
        {
            var (locked, lockedCode) = await host.StartAsync();
            tokens.Add(locked);
            for (var attempt = 0; attempt < 6; attempt++)
            {
                await challenges.VerifyAsync(host.Tenant, locked, ChallengeTestHost.WrongCode(lockedCode));
            }
        }

        await challenges.StartAsync(host.Tenant, ChallengeTestHost.Account);
        host.Time.Advance(TimeSpan.FromMinutes(15));
        var (expired, expiredCode) = await host.StartAsync();
        tokens.Add(expired);
        host.Time.Advance(TimeSpan.FromMinutes(5));
        await challenges.VerifyAsync(host.Tenant, expired, expiredCode);
        host.Sender.Fail = true;
        await challenges.StartAsync(host.Tenant, ChallengeTestHost.Account);
        host.Sender.Fail = false;
        var (failing, failingCode) = await host.StartAsync();
        tokens.Add(failing);
        store.Throw = true;
        await challenges.VerifyAsync(host.Tenant, failing, failingCode);
        await challenges.ResendAsync(host.Tenant, failing);

        var codes = host.Sender.Messages.Select(m => m.Code).Distinct().ToArray();
        var logged = host.Logs.AllText.Concat(sink.Texts).ToArray();

        Assert.That(codes, Has.Length.GreaterThanOrEqualTo(6));
        Assert.That(host.Logs.Entries, Has.Count.GreaterThan(20), "the run was logged");
        Assert.That(host.Logs.Entries.Select(e => e.Exception), Has.Some.Not.Null, "a store failure was logged with its exception");
        foreach (var secret in codes.Concat(tokens))
        {
            Assert.That(logged, Has.None.Contains(secret));
        }
    }

    [Test]
    public async Task AuthenticatorLifecycle_CapturedLogsAndAuditEvents_ContainNoSecretUriTokenCodeOrRecoveryCode()
    {
        var totpStore = new SwitchableTotpStore();
        var challengeStore = new SwitchableChallengeStore(totpStore, totpStore);
        var sink = new StringSink();
        using var host = await ChallengeTestHost.CreateAsync(
            services =>
            {
                services.Replace(ServiceDescriptor.Singleton<IChallengeStore>(challengeStore));
                services.Replace(ServiceDescriptor.Singleton<ITotpEnrollmentStore>(totpStore));
                services.Replace(ServiceDescriptor.Singleton<IRecoveryCodeStore>(totpStore));
                services.AddSingleton<ITwoFactorAuditSink>(sink);
            },
            factors: FactorTypes.Totp | FactorTypes.Email);
        var tenant = host.Tenant;
        const long account = ChallengeTestHost.Account;
        var secrets = new List<string>();
        var tokens = new List<string>();
        var codes = new List<string>();

        // Enrolment with a wrong and a malformed confirmation, then a right one.
        var stepUp = await host.StepUpByEmailAsync();
        tokens.Add(stepUp);
        var begun = await host.Enrollment.BeginAsync(tenant, account, "Fleet", "driver@example.com", stepUp);
        secrets.Add(begun.Secret!);
        secrets.Add(begun.OtpAuthUri!);
        var app = TestAuthenticator.From(begun);
        await host.Enrollment.ConfirmAsync(tenant, account, app.WrongCodeAt(host.Time.GetUtcNow()));
        await host.Enrollment.ConfirmAsync(tenant, account, " " + app.CodeAt(host.Time.GetUtcNow()));
        codes.Add(app.CodeAt(host.Time.GetUtcNow()));
        var confirmed = await host.Enrollment.ConfirmAsync(tenant, account, codes[^1]);
        var recovery = confirmed.RecoveryCodes.ToList();

        // Logins: right code, replay, wrong code, hostile code, recovery code, wrong recovery code, email instead.
        host.Time.Advance(ChallengeTestHost.Step);
        codes.Add(app.CodeAt(host.Time.GetUtcNow()));
        var first = await host.StartTokenAsync(FactorTypes.Totp);
        var second = await host.StartTokenAsync(FactorTypes.Totp);
        tokens.AddRange([first, second]);
        await host.Challenges.VerifyAsync(tenant, first, codes[^1]);
        await host.Challenges.VerifyAsync(tenant, second, codes[^1]);
        await host.Challenges.VerifyAsync(tenant, second, app.WrongCodeAt(host.Time.GetUtcNow()));
        await host.Challenges.VerifyAsync(tenant, second, "１２３４５６");
        await host.Challenges.VerifyAsync(tenant, second, RecoveryCodes.Create(1).Display);
        await host.Challenges.VerifyAsync(tenant, second, recovery[0]);
        await host.Challenges.ResendAsync(tenant, first);
        var email = await host.Challenges.StartWithFactorAsync(tenant, account, FactorTypes.Email);
        tokens.Add(email.Token!);
        await host.Challenges.VerifyAsync(tenant, email.Token, recovery[1].ToLowerInvariant());

        // Step-up, regeneration, replacement, a tampered secret, store failures, disabling, the administrator's reset.
        var regenerated = await host.Enrollment.RegenerateRecoveryCodesAsync(tenant, account, first);
        recovery.AddRange(regenerated.RecoveryCodes);
        await host.Enrollment.RegenerateRecoveryCodesAsync(tenant, account, first);
        var replacement = await host.Enrollment.BeginAsync(tenant, account, "Fleet", "driver@example.com", second);
        secrets.Add(replacement.Secret!);
        secrets.Add(replacement.OtpAuthUri!);
        host.Time.Advance(ChallengeTestHost.Step);
        var third = await host.StartTokenAsync(FactorTypes.Totp);
        tokens.Add(third);
        totpStore.TamperActive = true;
        codes.Add(app.CodeAt(host.Time.GetUtcNow()));
        await host.Challenges.VerifyAsync(tenant, third, codes[^1]);
        totpStore.TamperActive = false;
        totpStore.Throw = true;
        await host.Challenges.VerifyAsync(tenant, third, codes[^1]);
        await host.Enrollment.BeginAsync(tenant, account, "Fleet", "driver@example.com");
        totpStore.Throw = false;
        challengeStore.Throw = true;
        await host.Enrollment.DisableAsync(tenant, account, third);
        challengeStore.Throw = false;
        await host.Challenges.VerifyAsync(tenant, third, codes[^1]);
        await host.Enrollment.DisableAsync(tenant, account, third);
        await host.Administration.ResetAsync(tenant, account);

        var logged = host.Logs.AllText.Concat(sink.Texts).ToArray();
        var forbidden = secrets
            .Concat(recovery)
            .Concat(recovery.Select(r => r.Replace("-", "", StringComparison.Ordinal)))
            .Concat(recovery.Select(r => r.Replace("-", "", StringComparison.Ordinal)[4..]))
            .Concat(tokens)
            .Concat(codes)
            .Append("otpauth")
            .ToArray();

        Assert.That(recovery, Has.Count.EqualTo(20));
        Assert.That(host.Logs.Entries, Has.Count.GreaterThan(30), "the run was logged");
        Assert.That(host.Logs.Entries.Select(e => e.EventId.Id), Contains.Item(8), "the tampered secret was logged");
        Assert.That(host.Logs.Entries.Select(e => e.Exception), Has.Some.Not.Null, "store failures were logged with their exception");
        foreach (var secret in forbidden)
        {
            Assert.That(logged, Has.None.Contains(secret));
        }
    }

    private sealed class StringSink : ITwoFactorAuditSink
    {
        private readonly List<string> _texts = [];

        public IReadOnlyList<string> Texts
        {
            get
            {
                lock (_texts)
                {
                    return [.. _texts];
                }
            }
        }

        public ValueTask WriteAsync(TwoFactorAuditEvent auditEvent, CancellationToken cancellationToken)
        {
            lock (_texts)
            {
                _texts.Add(auditEvent.ToString());
            }

            return default;
        }
    }
}
