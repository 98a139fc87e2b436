using System.Net;

namespace Navixy.TwoFactor.Sample.Tests.Panel;

/// <summary>
/// Every way an update can be refused: the answer's code names the problem, and nothing the Panel API can
/// read, in either dealer, has changed (the library applies all or nothing).
/// </summary>
public class PanelRejectedUpdateTests
{
    private const string Update = "panel/user/mfa/settings/update";
    private const string DefaultUpdate = "panel/user/mfa/settings/default/update";
    private const string Email = """{"type": "allowed", "factor_types": ["email"]}""";

    private SampleServer _server = null!;
    private Dictionary<string, string> _hashes = null!;

    public static IEnumerable<TestCaseData> Rejections()
    {
        // Ids that are not accounts of the session's dealer: 201.
        yield return Case("sub-user id", Update, "acme.admin", $$"""{"target": {"type": "selected", "ids": [101, 102]}, "settings": {{Email}}}""", 201, "102");
        yield return Case("unknown id", Update, "acme.admin", $$"""{"target": {"type": "selected", "ids": [101, 999]}, "settings": {{Email}}}""", 201, "999");
        yield return Case("other dealer's id", Update, "beacon.admin", $$"""{"target": {"type": "selected", "ids": [101, 104]}, "settings": {{Email}}}""", 201, "104");

        // Invalid settings or ids: 7, naming the problem.
        yield return Case("allowed without factor_types", Update, "acme.admin", """{"target": {"type": "all"}, "settings": {"type": "allowed"}}""", 7, "factor_types");
        yield return Case("allowed with null factor_types", Update, "acme.admin", """{"target": {"type": "all"}, "settings": {"type": "allowed", "factor_types": null}}""", 7, "factor_types");
        yield return Case("empty factor_types", Update, "acme.admin", """{"target": {"type": "all"}, "settings": {"type": "allowed", "factor_types": []}}""", 7, "factor_types");
        yield return Case("unknown factor type", Update, "acme.admin", """{"target": {"type": "all"}, "settings": {"type": "allowed", "factor_types": ["email", "sms"]}}""", 7, "\"sms\"");
        yield return Case("factor type in the wrong case", Update, "acme.admin", """{"target": {"type": "all"}, "settings": {"type": "allowed", "factor_types": ["EMAIL"]}}""", 7, "EMAIL");
        yield return Case("unknown settings type", Update, "acme.admin", """{"target": {"type": "all"}, "settings": {"type": "enabled"}}""", 7, "settings.type");
        yield return Case("missing settings", Update, "acme.admin", """{"target": {"type": "all"}}""", 7, "settings");
        yield return Case("missing target", Update, "acme.admin", $$"""{"settings": {{Email}}}""", 7, "target");
        yield return Case("unknown target type", Update, "acme.admin", $$"""{"target": {"type": "some"}, "settings": {{Email}}}""", 7, "target.type");
        yield return Case("selected without ids", Update, "acme.admin", $$"""{"target": {"type": "selected"}, "settings": {{Email}}}""", 7, "target.ids");
        yield return Case("empty ids", Update, "acme.admin", $$"""{"target": {"type": "selected", "ids": []}, "settings": {{Email}}}""", 7, "no ids");
        yield return Case("zero and negative ids", Update, "acme.admin", $$"""{"target": {"type": "selected", "ids": [101, 0, -5]}, "settings": {{Email}}}""", 7, "-5");
        yield return Case("fractional id", Update, "acme.admin", $$"""{"target": {"type": "selected", "ids": [101, 1.5]}, "settings": {{Email}}}""", 7, "target.ids[1]");
        yield return Case("unknown id and zero id", Update, "acme.admin", $$"""{"target": {"type": "selected", "ids": [999, 0]}, "settings": {{Email}}}""", 7, "999");
        yield return Case("more ids than one update may", Update, "acme.admin", $$"""{"target": {"type": "selected", "ids": [{{string.Join(", ", Enumerable.Range(1, 10_001))}}]}, "settings": {{Email}}}""", 7, "more ids");
        yield return Case("default: allowed without factor_types", DefaultUpdate, "acme.admin", """{"settings": {"type": "allowed"}}""", 7, "factor_types");
        yield return Case("default: unknown factor type", DefaultUpdate, "acme.admin", """{"settings": {"type": "allowed", "factor_types": ["sms"]}}""", 7, "sms");
        yield return Case("default: missing settings", DefaultUpdate, "acme.admin", "{}", 7, "settings");

        // Wrong JSON or wrong shapes: 5.
        yield return Case("truncated JSON", Update, "acme.admin", """{"target": {"type": "all"}, "settings": """, 5, "JSON");
        yield return Case("not an object", Update, "acme.admin", "[1, 2]", 5, "object");
        yield return Case("ids not an array", Update, "acme.admin", $$"""{"target": {"type": "selected", "ids": "101"}, "settings": {{Email}}}""", 5, "target.ids");
        yield return Case("an id not a number", Update, "acme.admin", $$"""{"target": {"type": "selected", "ids": [101, "106"]}, "settings": {{Email}}}""", 5, "target.ids[1]");
        yield return Case("target not an object", Update, "acme.admin", $$"""{"target": "all", "settings": {{Email}}}""", 5, "target");
        yield return Case("factor_types not an array", Update, "acme.admin", """{"target": {"type": "all"}, "settings": {"type": "allowed", "factor_types": "email"}}""", 5, "factor_types");
        yield return Case("settings type not a string", Update, "acme.admin", """{"target": {"type": "all"}, "settings": {"type": 1}}""", 5, "settings.type");
        yield return Case("default: truncated JSON", DefaultUpdate, "acme.admin", """{"settings": {""", 5, "JSON");

        // A session without users: update: 13.
        yield return Case("read-only login updates", Update, "acme.viewer", $$"""{"target": {"type": "all"}, "settings": {{Email}}}""", 13, "users: update");
        yield return Case("read-only login updates the default", DefaultUpdate, "acme.viewer", $$"""{"settings": {{Email}}}""", 13, "users: update");
    }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await SampleServer.StartAsync();
        _hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var login in new[] { "acme.admin", "acme.viewer", "beacon.admin" })
        {
            _hashes[login] = await _server.PanelHashAsync(login);
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCaseSource(nameof(Rejections))]
    public async Task RejectedUpdate_AnswersTheCode_AndChangesNothing(string path, string panelLogin, string body, int code, string named)
    {
        var before = await SettingsSnapshot.TakeAsync(_server);

        var response = await _server.PostRawAsync(path, body, _hashes[panelLogin]);

        Assert.That(response.Success, Is.False, response.Text);
        Assert.That(response.Code, Is.EqualTo(code), response.Text);
        Assert.That(response.Status, Is.EqualTo(code == 13 ? HttpStatusCode.Forbidden : HttpStatusCode.BadRequest));
        Assert.That(response.Description, Does.Contain(named));
        Assert.That(await SettingsSnapshot.TakeAsync(_server), Is.EqualTo(before));
    }

    private static TestCaseData Case(string name, string path, string panelLogin, string body, int code, string named) =>
        new TestCaseData(path, panelLogin, body, code, named).SetArgDisplayNames(name);
}
