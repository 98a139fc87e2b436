using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Tests.Policy;
using Navixy.TwoFactor.Tests.Settings;

namespace Navixy.TwoFactor.Tests.Resolution;

/// <summary>
/// <see cref="ITwoFactorImmediateResolver"/>: on the in-memory store it answers every principal at once, exactly as
/// <see cref="ITwoFactorResolver.ResolveAsync"/> does; where the answer needs I/O, or the host resolves on its own, it never answers.
/// </summary>
public class ImmediateResolverTests
{
    private static readonly TenantId Tenant = new(5);

    [FsCheck.NUnit.Property(MaxTest = 300)]
    [Description("R5: the immediate answer is the resolver's answer (and the model's) after every step of any history, scheduled changes and a moving clock included.")]
    public Property TryResolve_AnswersAsResolveAsyncAndTheModel_AfterEveryStepOfAnyOperationSequence() =>
        Prop.ForAll(OperationGen.TwoTenantHistoryArb(maxSteps: 40), history =>
        {
            using var engine = TestEngine.ForModel();
            var model = new ReferenceModel();
            TenantId[] tenants = [history.A, history.B];
            for (var i = 0; i < history.Steps.Length; i++)
            {
                var step = history.Steps[i];
                model.Apply(tenants[step.Tenant], step.Operation);
                engine.Apply(tenants[step.Tenant], step.Operation);
                foreach (var tenant in tenants)
                {
                    foreach (var id in PolicyGen.ObservedIds)
                    {
                        var answered = engine.ImmediateResolver.TryResolve(tenant, id, out var immediate);
                        var resolved = engine.Resolve(tenant, id);
                        if (!answered || immediate != resolved || Observed.From(immediate) != model.Answer(tenant, id))
                        {
                            return false.Label($"after step {i} {step}, {tenant}, principal {id}: at once {answered} {immediate}, resolved {resolved}, model {model.Answer(tenant, id)}");
                        }
                    }
                }
            }

            return true.ToProperty().Classify(history.Steps.Any(s => s.Operation is Scheduled { OffsetMinutes: > 0 }), "schedules a change");
        });

    [Test]
    public void TryResolve_DefaultTenant_Throws()
    {
        using var engine = new TestEngine();

        Assert.That(() => engine.ImmediateResolver.TryResolve(default, 1, out _), Throws.ArgumentException);
    }

    [Test]
    public void TryResolve_UnknownTenantOrPrincipal_AnswersUnknownPrincipal()
    {
        using var engine = new TestEngine();
        TestEngine.Run(engine.Directory.RegisterAccountAsync(Tenant, 1));

        Assert.Multiple(() =>
        {
            Assert.That(engine.ImmediateResolver.TryResolve(new TenantId(99), 1, out var otherTenant), Is.True);
            Assert.That(otherTenant, Is.EqualTo(Requirement.UnknownPrincipal(1)));
            Assert.That(engine.ImmediateResolver.TryResolve(Tenant, 2, out var unregistered), Is.True);
            Assert.That(unregistered, Is.EqualTo(Requirement.UnknownPrincipal(2)));
        });
    }

    [Test]
    public void TryResolve_ScheduledChangeFallsDue_AnswersItFromThatMomentOn()
    {
        using var engine = new TestEngine();
        TestEngine.Run(engine.Directory.RegisterAccountAsync(Tenant, 1));
        TestEngine.Run(engine.Settings.UpdateAsync(Tenant, SettingsTarget.All, TwoFactorSetting.Allowed(FactorTypes.Email), effectiveFrom: engine.Time.GetUtcNow().AddMinutes(5)));

        engine.ImmediateResolver.TryResolve(Tenant, 1, out var before);
        engine.Time.Advance(TimeSpan.FromMinutes(5));
        engine.ImmediateResolver.TryResolve(Tenant, 1, out var after);

        Assert.That((before.Outcome, after.Outcome), Is.EqualTo((RequirementOutcome.NotRequired, RequirementOutcome.Required)));
    }

    [Test]
    public void TryResolve_HostsOwnResolver_NeverAnswersSoTheHostsResolverIsAsked()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ITwoFactorResolver, EveryoneRequired>();
        services.AddNavixyTwoFactor();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        TestEngine.Run(provider.GetRequiredService<ITwoFactorDirectory>().RegisterAccountAsync(Tenant, 1));

        var answered = provider.GetRequiredService<ITwoFactorImmediateResolver>().TryResolve(Tenant, 1, out var requirement);

        Assert.That((answered, requirement), Is.EqualTo((false, default(Requirement))));
        Assert.That(requirement.IsRequired, Is.False, "what it leaves behind is unknown principal, never a pass");
    }

    [Test]
    public void TryResolve_StoreThatNeedsIo_NeverAnswers()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IPrincipalPolicyStore>(new OnePolicyStore());
        services.AddNavixyTwoFactor();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        Assert.That(provider.GetRequiredService<ITwoFactorImmediateResolver>().TryResolve(Tenant, 1, out _), Is.False);
        Assert.That(() => provider.GetRequiredService<ITwoFactorImmediateResolver>().TryResolve(default, 1, out _), Throws.ArgumentException);
    }

    private sealed class EveryoneRequired : ITwoFactorResolver
    {
        public ValueTask<Requirement> ResolveAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default) =>
            new(Requirement.Required(principalId, FactorTypes.Email, new Explanation(PolicyRule.AccountSetting, PrincipalKind.Account, principalId, SettingSource.SelectedUpdate, 1)));
    }

    private sealed class OnePolicyStore : IPrincipalPolicyStore
    {
        public ValueTask<PrincipalPolicy> FindPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
            new(PrincipalPolicy.Unknown(principalId, TenantPolicy.Initial));

        public ValueTask<TenantPolicy> GetTenantAsync(TenantId tenant, CancellationToken cancellationToken) => new(TenantPolicy.Initial);
    }
}
