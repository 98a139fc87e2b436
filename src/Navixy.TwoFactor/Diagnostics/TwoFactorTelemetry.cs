namespace Navixy.TwoFactor.Diagnostics;

/// <summary>
/// The names the library reports under, following OpenTelemetry's naming conventions: subscribe to
/// <see cref="MeterName"/> and <see cref="ActivitySourceName"/> (for example <c>AddMeter(TwoFactorTelemetry.MeterName)</c> and
/// <c>AddSource(TwoFactorTelemetry.ActivitySourceName)</c>). No tag ever carries a code, token, secret or principal id.
/// </summary>
public static class TwoFactorTelemetry
{
    /// <summary>The name of the library's meter.</summary>
    public const string MeterName = "Navixy.TwoFactor";

    /// <summary>The name of the library's <see cref="System.Diagnostics.ActivitySource"/>.</summary>
    public const string ActivitySourceName = "Navixy.TwoFactor";

    /// <summary>
    /// The counter of audit events (unit <c>{event}</c>), one measurement per event, tagged <see cref="EventTag"/>,
    /// <see cref="OutcomeTag"/> and, for events about a factor, <see cref="FactorTag"/>.
    /// </summary>
    public const string EventsInstrumentName = "navixy.twofactor.events";

    /// <summary>
    /// The histogram of operation durations in seconds (unit <c>s</c>): start, verify, resend and settings updates, tagged
    /// <see cref="OperationTag"/> and <see cref="OutcomeTag"/> (and <see cref="FactorTag"/> when a factor is known).
    /// </summary>
    public const string OperationDurationInstrumentName = "navixy.twofactor.operation.duration";

    /// <summary>The tag naming an audit event kind, e.g. <c>verify.passed</c> (see <see cref="EventName"/>).</summary>
    public const string EventTag = "navixy.twofactor.event";

    /// <summary>The tag naming a factor: <c>email</c> or <c>totp</c>.</summary>
    public const string FactorTag = "navixy.twofactor.factor";

    /// <summary>
    /// The tag naming an outcome. On events: <c>success</c>, <c>refused</c> (an expected denial: wrong code, expired, locked,
    /// replay) or <c>error</c> (a store, sender or key failed). On operations and their spans: the result's outcome in snake
    /// case, e.g. <c>passed</c>, <c>wrong_code</c>, <c>failed</c>.
    /// </summary>
    public const string OutcomeTag = "navixy.twofactor.outcome";

    /// <summary>The tag naming an operation: <c>start</c>, <c>verify</c>, <c>resend</c> or <c>settings.update</c>.</summary>
    public const string OperationTag = "navixy.twofactor.operation";

    /// <summary>The tag naming a store call on its span, e.g. <c>challenge.verify</c>.</summary>
    public const string StoreOperationTag = "navixy.twofactor.store.operation";

    /// <summary>The tag naming the tenant on spans (never on metrics: tenants are unbounded).</summary>
    public const string TenantTag = "navixy.twofactor.tenant";

    /// <summary>The tag naming what a settings update applies to on its span: <c>all</c>, <c>selected</c>, <c>default</c> or <c>everyone</c>.</summary>
    public const string SettingsScopeTag = "navixy.twofactor.settings.scope";

    /// <summary>The tag saying whether a settings update was a dry run (<see langword="true"/>/<see langword="false"/>) on its span.</summary>
    public const string DryRunTag = "navixy.twofactor.dry_run";

    /// <summary>The span of <c>ITwoFactorChallenges.StartAsync</c> and <c>StartWithFactorAsync</c>.</summary>
    public const string StartSpanName = "navixy.twofactor.start";

    /// <summary>The span of <c>ITwoFactorChallenges.VerifyAsync</c>.</summary>
    public const string VerifySpanName = "navixy.twofactor.verify";

    /// <summary>The span of <c>ITwoFactorChallenges.ResendAsync</c>.</summary>
    public const string ResendSpanName = "navixy.twofactor.resend";

    /// <summary>The span of a settings update (<c>UpdateAsync</c>, <c>UpdateDefaultAsync</c>, <c>EnforceForEveryoneAsync</c>).</summary>
    public const string SettingsUpdateSpanName = "navixy.twofactor.settings.update";

    /// <summary>The prefix of a store call's span; the span is named <c>navixy.twofactor.store</c> plus a space and the call.</summary>
    public const string StoreSpanName = "navixy.twofactor.store";

    /// <summary>The value of <see cref="EventTag"/> for an event kind, as documented on <see cref="TwoFactorAuditEventKind"/>.</summary>
    /// <param name="kind">The event kind.</param>
    /// <returns>The tag value, e.g. <c>verify.passed</c>.</returns>
    public static string EventName(TwoFactorAuditEventKind kind) => TwoFactorEventNames.Of(kind);

    /// <summary>The value of <see cref="OutcomeTag"/> on an event of a kind: <c>success</c>, <c>refused</c> or <c>error</c>.</summary>
    /// <param name="kind">The event kind.</param>
    /// <returns>The tag value.</returns>
    public static string EventOutcome(TwoFactorAuditEventKind kind) => TwoFactorEventNames.OutcomeOf(kind);
}
