using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Tests.Challenges;
using Navixy.TwoFactor.Tests.Stores;

namespace Navixy.TwoFactor.Tests.Diagnostics;

/// <summary>security.md item 7: captured log output and audit events of full logins contain no code and no token.</summary>
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
