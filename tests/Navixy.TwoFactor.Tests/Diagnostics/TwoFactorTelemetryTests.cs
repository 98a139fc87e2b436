using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Tests.Challenges;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Navixy.TwoFactor.Tests.Diagnostics;

/// <summary>Issue 14 item 2: telemetry by OpenTelemetry's conventions, read through the SDK's in-memory exporter.</summary>
public class TwoFactorTelemetryTests
{
    private readonly List<Activity> _spans = [];
    private readonly List<Metric> _metrics = [];
    private TracerProvider _tracing = null!;
    private MeterProvider _metering = null!;

    [SetUp]
    public void StartExporters()
    {
        _spans.Clear();
        _metrics.Clear();
        _tracing = Sdk.CreateTracerProviderBuilder().AddSource(TwoFactorTelemetry.ActivitySourceName).AddInMemoryExporter(_spans).Build();
        _metering = Sdk.CreateMeterProviderBuilder().AddMeter(TwoFactorTelemetry.MeterName).AddInMemoryExporter(_metrics).Build();
    }

    [TearDown]
    public void StopExporters()
    {
        _tracing.Dispose();
        _metering.Dispose();
    }

    [Test]
    [Description("issue 14 item 2: spans for start, verify and resend, each with its store calls as children")]
    public async Task Login_SpansForStartResendVerify_WithStoreCallsInside()
    {
        using var host = await ChallengeTestHost.CreateAsync();
        var (token, _) = await host.StartAsync();
        host.Time.Advance(TimeSpan.FromMinutes(2));
        await host.Challenges.ResendAsync(host.Tenant, token);
        await host.Challenges.VerifyAsync(host.Tenant, token, host.Sender.LastCode(host.Tenant, ChallengeTestHost.Account));
        _tracing.ForceFlush();

        var start = _spans.Single(s => s.DisplayName == TwoFactorTelemetry.StartSpanName);
        var resend = _spans.Single(s => s.DisplayName == TwoFactorTelemetry.ResendSpanName);
        var verify = _spans.Single(s => s.DisplayName == TwoFactorTelemetry.VerifySpanName);
        Assert.That(start.GetTagItem(TwoFactorTelemetry.OutcomeTag), Is.EqualTo("started"));
        Assert.That(start.GetTagItem(TwoFactorTelemetry.FactorTag), Is.EqualTo("email"));
        Assert.That(resend.GetTagItem(TwoFactorTelemetry.OutcomeTag), Is.EqualTo("sent"));
        Assert.That(verify.GetTagItem(TwoFactorTelemetry.OutcomeTag), Is.EqualTo("passed"));
        Assert.That(verify.GetTagItem(TwoFactorTelemetry.TenantTag), Is.EqualTo(host.Tenant.Value));
        Assert.That(StoreCallsUnder(start), Does.Contain("navixy.twofactor.store policy.find_principal").And.Contain("navixy.twofactor.store challenge.create"));
        Assert.That(StoreCallsUnder(resend), Is.EqualTo(new[] { "navixy.twofactor.store challenge.replace_code" }));
        Assert.That(StoreCallsUnder(verify), Is.EqualTo(new[] { "navixy.twofactor.store challenge.verify" }));
        Assert.That(_spans.Select(s => s.Status), Is.All.Not.EqualTo(ActivityStatusCode.Error));
    }

    [Test]
    [Description("issue 14 item 2: no code, token, secret or principal id as a tag, on spans or metrics")]
    public async Task Login_NoTagCarriesATokenCodeOrPrincipalId()
    {
        using var host = await ChallengeTestHost.CreateAsync();
        var (token, code) = await host.StartAsync();
        await host.Challenges.VerifyAsync(host.Tenant, token, ChallengeTestHost.WrongCode(code));
        await host.Challenges.VerifyAsync(host.Tenant, token, code);
        _tracing.ForceFlush();
        _metering.ForceFlush();

        var values = _spans.SelectMany(s => s.TagObjects).Select(t => t.Value)
            .Concat(_metrics.SelectMany(Points).SelectMany(p => Tags(p)).Select(t => t.Value))
            .Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
        var keys = _spans.SelectMany(s => s.TagObjects).Select(t => t.Key).Concat(_metrics.SelectMany(Points).SelectMany(p => Tags(p)).Select(t => t.Key)).Distinct();

        Assert.That(values, Is.Not.Empty);
        Assert.That(values, Has.None.Contains(token).And.None.Contains(code).And.None.EqualTo(ChallengeTestHost.Account.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(keys, Has.None.Contains("principal").And.None.Contains("token").And.None.Contains("code"));
    }

    [Test]
    [Description("issue 14 item 2: one events counter tagged by event kind, factor and outcome, replacing the counter per kind")]
    public async Task EventsCounter_TaggedByKindFactorAndOutcome()
    {
        using var host = await ChallengeTestHost.CreateAsync();
        var (token, code) = await host.StartAsync();
        await host.Challenges.VerifyAsync(host.Tenant, token, ChallengeTestHost.WrongCode(code));
        await host.Challenges.VerifyAsync(host.Tenant, token, code);
        await host.Challenges.VerifyAsync(host.Tenant, token, code);
        _metering.ForceFlush();

        var events = _metrics.Where(m => m.Name == TwoFactorTelemetry.EventsInstrumentName).ToArray();
        Assert.That(_metrics.Select(m => m.Name).Distinct(), Is.EquivalentTo(new[] { TwoFactorTelemetry.EventsInstrumentName, TwoFactorTelemetry.OperationDurationInstrumentName }));
        Assert.That(events.Single().Unit, Is.EqualTo("{event}"));
        Assert.That(Sum(events, "verify.passed", "email", "success"), Is.EqualTo(1));
        Assert.That(Sum(events, "verify.wrong_code", "email", "refused"), Is.EqualTo(1));
        Assert.That(Sum(events, "verify.replayed", "email", "refused"), Is.EqualTo(1));
        Assert.That(Sum(events, "challenge.started", "email", "success"), Is.EqualTo(1));
    }

    [Test]
    [Description("issue 14 item 2: a duration histogram in seconds per operation and outcome, settings updates included")]
    public async Task DurationHistogram_PerOperationAndOutcome()
    {
        using var host = await ChallengeTestHost.CreateAsync();
        var (token, code) = await host.StartAsync();
        await host.Challenges.VerifyAsync(host.Tenant, token, code);
        var settings = host.Provider.GetRequiredService<ITwoFactorSettings>();
        await settings.UpdateAsync(host.Tenant, SettingsTarget.All, TwoFactorSetting.Disallowed, dryRun: true);
        await settings.UpdateAsync(host.Tenant, SettingsTarget.Selected(999), TwoFactorSetting.Disallowed);
        _metering.ForceFlush();
        _tracing.ForceFlush();

        var duration = _metrics.Single(m => m.Name == TwoFactorTelemetry.OperationDurationInstrumentName);
        Assert.That(duration.Unit, Is.EqualTo("s"));
        Assert.That(duration.MetricType, Is.EqualTo(MetricType.Histogram));
        var counts = Points(duration).ToDictionary(
            p => ((string)Tag(p, TwoFactorTelemetry.OperationTag)!, (string)Tag(p, TwoFactorTelemetry.OutcomeTag)!),
            p => p.GetHistogramCount());
        Assert.That(counts[("start", "started")], Is.EqualTo(1));
        Assert.That(counts[("verify", "passed")], Is.EqualTo(1));
        Assert.That(counts[("settings.update", "succeeded")], Is.EqualTo(2), "the host's own update enabling email codes, and the dry run");
        Assert.That(counts[("settings.update", "rejected")], Is.EqualTo(1));
        var updates = _spans.Where(s => s.DisplayName == TwoFactorTelemetry.SettingsUpdateSpanName).ToArray();
        Assert.That(updates.Select(s => s.GetTagItem(TwoFactorTelemetry.SettingsScopeTag)), Is.EqualTo(new[] { "selected", "all", "selected" }));
        Assert.That(updates.Select(s => s.GetTagItem(TwoFactorTelemetry.DryRunTag)), Is.EqualTo(new object[] { false, true, false }));
        Assert.That(StoreCallsUnder(updates[1]), Is.EqualTo(new[] { "navixy.twofactor.store settings.update_all" }));
    }

    [Test]
    [Description("issue 14 item 2: a failing store call's span is an error naming the exception type; the verify answers failed")]
    public async Task StoreFailure_StoreSpanIsAnError_OperationOutcomeFailed()
    {
        using var host = await ChallengeTestHost.CreateAsync(services => services.AddSingleton<IChallengeStore, TwoFactorAuditTests.BrokenStore>());
        var verify = await host.Challenges.VerifyAsync(host.Tenant, new string('A', Navixy.TwoFactor.Cryptography.ChallengeToken.Length), "123456");
        _tracing.ForceFlush();

        Assert.That(verify.Outcome, Is.EqualTo(Navixy.TwoFactor.Challenges.ChallengeVerifyOutcome.Failed));
        var store = _spans.Single(s => s.DisplayName == "navixy.twofactor.store challenge.verify");
        Assert.That(store.Status, Is.EqualTo(ActivityStatusCode.Error));
        Assert.That(store.GetTagItem("error.type"), Is.EqualTo(typeof(TimeoutException).FullName));
        var span = _spans.Single(s => s.DisplayName == TwoFactorTelemetry.VerifySpanName);
        Assert.That((span.Status, span.GetTagItem(TwoFactorTelemetry.OutcomeTag)), Is.EqualTo((ActivityStatusCode.Error, (object)"failed")));
    }

    [Test]
    public void EventNames_EveryKindHasATagValueAndAnOutcome()
    {
        foreach (var kind in Enum.GetValues<TwoFactorAuditEventKind>())
        {
            Assert.That(TwoFactorTelemetry.EventName(kind), Does.Match("^[a-z_]+\\.[a-z_]+$"), kind.ToString());
            Assert.That(TwoFactorTelemetry.EventOutcome(kind), Is.AnyOf("success", "refused", "error"), kind.ToString());
        }

        Assert.That(Enum.GetValues<TwoFactorAuditEventKind>().Select(TwoFactorTelemetry.EventName), Is.Unique);
        Assert.That(TwoFactorTelemetry.EventOutcome(TwoFactorAuditEventKind.StoreFailed), Is.EqualTo("error"));
        Assert.That(TwoFactorTelemetry.EventOutcome(TwoFactorAuditEventKind.WrongCode), Is.EqualTo("refused"));
    }

    private string[] StoreCallsUnder(Activity parent) =>
        [.. _spans.Where(s => s.ParentSpanId == parent.SpanId && s.DisplayName.StartsWith(TwoFactorTelemetry.StoreSpanName + " ", StringComparison.Ordinal)).Select(s => s.DisplayName)];

    private static IEnumerable<MetricPoint> Points(Metric metric)
    {
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            yield return point;
        }
    }

    private static List<KeyValuePair<string, object?>> Tags(MetricPoint point)
    {
        var tags = new List<KeyValuePair<string, object?>>();
        foreach (var tag in point.Tags)
        {
            tags.Add(tag);
        }

        return tags;
    }

    private static object? Tag(MetricPoint point, string key) => Tags(point).FirstOrDefault(t => t.Key == key).Value;

    private static long Sum(IEnumerable<Metric> metrics, string kind, string factor, string outcome) =>
        metrics.SelectMany(Points)
            .Where(p => Equals(Tag(p, TwoFactorTelemetry.EventTag), kind) && Equals(Tag(p, TwoFactorTelemetry.FactorTag), factor) && Equals(Tag(p, TwoFactorTelemetry.OutcomeTag), outcome))
            .Sum(p => p.GetSumLong());
}
