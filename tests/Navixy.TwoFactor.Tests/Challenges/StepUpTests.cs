using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Tests.Challenges;

/// <summary>
/// <see cref="ITwoFactorStepUp"/>: the one step-up check, public for a host's own sensitive actions and used by enrolment
/// (policy.md T4).
/// </summary>
public class StepUpTests
{
    [Test]
    [Description("T4: a passed challenge's token is step-up proof once, for its principal, within the step-up lifetime")]
    public async Task T4_Redeem_PassedToken_IsProofExactlyOnce()
    {
        using var host = await ChallengeTestHost.CreateAsync();
        var stepUp = host.Provider.GetRequiredService<ITwoFactorStepUp>();
        var token = await host.StepUpByEmailAsync();

        Assert.That(await stepUp.RedeemAsync(host.Tenant, ChallengeTestHost.Account, token), Is.EqualTo(StepUpOutcome.Redeemed));
        Assert.That(await stepUp.RedeemAsync(host.Tenant, ChallengeTestHost.Account, token), Is.EqualTo(StepUpOutcome.Refused));
    }

    [Test]
    [Description("T4: proof is bound to its principal and tenant")]
    public async Task T4_Redeem_AnotherPrincipalOrTenant_IsRefusedAndLeavesTheProof()
    {
        using var host = await ChallengeTestHost.CreateAsync();
        var stepUp = host.Provider.GetRequiredService<ITwoFactorStepUp>();
        var token = await host.StepUpByEmailAsync();

        Assert.That(await stepUp.RedeemAsync(host.Tenant, ChallengeTestHost.Account + 1, token), Is.EqualTo(StepUpOutcome.Refused));
        Assert.That(await stepUp.RedeemAsync(new TenantId(host.Tenant.Value + 1), ChallengeTestHost.Account, token), Is.EqualTo(StepUpOutcome.Refused));
        Assert.That(await stepUp.RedeemAsync(host.Tenant, ChallengeTestHost.Account, token), Is.EqualTo(StepUpOutcome.Redeemed));
    }

    [Test]
    [Description("T4: a pass older than the step-up lifetime (5 minutes) is no proof")]
    public async Task T4_Redeem_AfterTheStepUpLifetime_IsRefused()
    {
        using var host = await ChallengeTestHost.CreateAsync();
        var stepUp = host.Provider.GetRequiredService<ITwoFactorStepUp>();
        var token = await host.StepUpByEmailAsync();
        host.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        Assert.That(await stepUp.RedeemAsync(host.Tenant, ChallengeTestHost.Account, token), Is.EqualTo(StepUpOutcome.Refused));
    }

    [Test]
    public async Task Redeem_StartedButNotPassedOrMalformed_IsRefusedAndAudited()
    {
        var sink = new RecordingAuditSink();
        using var host = await ChallengeTestHost.CreateAsync(services => services.AddSingleton<ITwoFactorAuditSink>(sink));
        var stepUp = host.Provider.GetRequiredService<ITwoFactorStepUp>();
        var (token, _) = await host.StartAsync();

        Assert.That(await stepUp.RedeemAsync(host.Tenant, ChallengeTestHost.Account, token), Is.EqualTo(StepUpOutcome.Refused));
        foreach (var hostile in new[] { null, "", "x", new string('A', 10_000), "..//\0" })
        {
            Assert.That(await stepUp.RedeemAsync(host.Tenant, ChallengeTestHost.Account, hostile), Is.EqualTo(StepUpOutcome.Refused));
        }

        Assert.That(sink.Kinds.Count(k => k == TwoFactorAuditEventKind.StepUpRefused), Is.EqualTo(6));
        Assert.That(default(StepUpOutcome), Is.EqualTo(StepUpOutcome.Failed), "the default means failure");
    }

    private sealed class RecordingAuditSink : ITwoFactorAuditSink
    {
        private readonly List<TwoFactorAuditEventKind> _kinds = [];

        public IReadOnlyList<TwoFactorAuditEventKind> Kinds
        {
            get
            {
                lock (_kinds)
                {
                    return [.. _kinds];
                }
            }
        }

        public ValueTask WriteAsync(TwoFactorAuditEvent auditEvent, CancellationToken cancellationToken)
        {
            lock (_kinds)
            {
                _kinds.Add(auditEvent.Kind);
            }

            return ValueTask.CompletedTask;
        }
    }
}
