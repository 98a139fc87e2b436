using FsCheck;
using FsCheck.Fluent;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Tests.Policy;

namespace Navixy.TwoFactor.Tests.Settings;

/// <summary>
/// Random operation sequences over two tenants, applied to the engine (through the public services of
/// <c>AddNavixyTwoFactor()</c>) and to <see cref="ReferenceModel"/>: after every step both must agree on
/// acceptance, on every result and on every principal's answer and setting in both tenants.
/// </summary>
public class ModelBasedTests
{
    [FsCheck.NUnit.Property(MaxTest = 600)]
    public Property Engine_AgreesWithNaiveModel_AfterEveryStepOfAnyOperationSequence() =>
        Prop.ForAll(OperationGen.TwoTenantHistoryArb(maxSteps: 60), history =>
        {
            using var engine = TestEngine.ForModel();
            var model = new ReferenceModel();
            TenantId[] tenants = [history.A, history.B];

            for (var i = 0; i < history.Steps.Length; i++)
            {
                var step = history.Steps[i];
                var tenant = tenants[step.Tenant];
                var expected = model.Apply(tenant, step.Operation);
                var actual = engine.Apply(tenant, step.Operation);
                if (expected != actual)
                {
                    return Fail($"step {i} {step}: engine answered {actual}, model {expected}");
                }

                foreach (var t in tenants)
                {
                    if (Disagreement(engine, model, t) is { } disagreement)
                    {
                        return Fail($"after step {i} {step}, {t}: {disagreement}");
                    }
                }
            }

            var updates = history.Steps.Select(s => s.Operation).Where(o => o is UpdateAll or UpdateSelected or UpdateDefault or EnforceForEveryone).ToList();
            return true.ToProperty()
                .Classify(history.Steps.Length > 40, "long sequence")
                .Classify(model.Accounts(history.A).Count + model.Accounts(history.B).Count > 8, "populated tenants at the end")
                .Classify(model.SubUsers(history.A).Count + model.SubUsers(history.B).Count > 2, "sub-users at the end")
                .Classify(updates.Count > 5, "more than 5 updates")
                .Classify(history.Steps.Any(s => s.Operation is Scheduled { OffsetMinutes: > 0 }), "schedules a change")
                .Classify(history.Steps.Any(s => s.Operation is CancelScheduled), "cancels");
        });

    /// <summary>The first difference between engine and model in one tenant, or null.</summary>
    internal static string? Disagreement(TestEngine engine, ReferenceModel model, TenantId tenant)
    {
        foreach (var id in PolicyGen.ObservedIds)
        {
            var answer = engine.Resolve(tenant, id);
            if (answer.PrincipalId != id)
            {
                return $"answer for {id} names principal {answer.PrincipalId}";
            }

            var actual = Observed.From(answer);
            var expected = model.Answer(tenant, id);
            if (actual != expected)
            {
                return $"principal {id}: engine {actual}, model {expected}";
            }

            var read = engine.Read(tenant, id);
            var expectedRead = model.Read(tenant, id);
            if (read != expectedRead)
            {
                return $"read {id}: engine {read}, model {expectedRead}";
            }
        }

        var defaultSetting = engine.ReadDefault(tenant);
        if (defaultSetting != model.Default(tenant))
        {
            return $"default: engine {defaultSetting}, model {model.Default(tenant)}";
        }

        var listed = string.Join("; ", engine.Scheduled(tenant).Select(c => $"{c.EffectiveFrom:O} {c.Kind} {c.Setting} [{string.Join(",", c.AccountIds)}]"));
        var pending = string.Join("; ", model.PendingOf(tenant).Select(p => Describe(p.At, p.Operation)));
        return listed == pending ? null : $"scheduled: engine {listed}, model {pending}";
    }

    /// <summary>A pending operation of the model as the engine lists its changes.</summary>
    internal static string Describe(DateTimeOffset at, Operation operation) => operation switch
    {
        UpdateAll u => $"{at:O} {ScheduledChangeKind.AllAccounts} {u.Setting} []",
        UpdateSelected u => $"{at:O} {ScheduledChangeKind.SelectedAccounts} {u.Setting} [{string.Join(",", u.Ids.Distinct().Order())}]",
        UpdateDefault u => $"{at:O} {ScheduledChangeKind.Default} {u.Setting} []",
        EnforceForEveryone e => $"{at:O} {ScheduledChangeKind.Everyone} {e.Setting} []",
        _ => operation.ToString(),
    };

    private static Property Fail(string message) => false.Label(message);
}
