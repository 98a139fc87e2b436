using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Navixy.TwoFactor.AspNetCore;
using Navixy.TwoFactor.AspNetCore.Wire;

namespace Navixy.TwoFactor.Sample.Tests.Wire;

public class WireConventionsTests
{
    private SampleServer _server = null!;

    private string _panelHash = null!;

    private string _verifyHash = null!;

    private string _resendHash = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // A high failure limit: the hostile calls to the auth endpoints must not lock anyone out mid-run.
        _server = await SampleServer.StartAsync(null, "Sample:Credentials:MaxFailedLogins=100");
        _panelHash = await _server.PanelHashAsync();

        // Restricted sessions with real challenges for the code calls (dealer 2, so dealer 1's users are untouched).
        await _server.EnforceForAllAsync("beacon.admin");
        _verifyHash = await _server.PendingHashAsync("north@beacon.example");
        _resendHash = await _server.PendingHashAsync("south@beacon.example");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCase(1, HttpStatusCode.InternalServerError)]
    [TestCase(2, HttpStatusCode.Forbidden)]
    [TestCase(3, HttpStatusCode.BadRequest)]
    [TestCase(4, HttpStatusCode.BadRequest)]
    [TestCase(5, HttpStatusCode.BadRequest)]
    [TestCase(6, HttpStatusCode.InternalServerError)]
    [TestCase(7, HttpStatusCode.BadRequest)]
    [TestCase(8, HttpStatusCode.ServiceUnavailable)]
    [TestCase(11, HttpStatusCode.Forbidden)]
    [TestCase(13, HttpStatusCode.Forbidden)]
    [TestCase(14, HttpStatusCode.ServiceUnavailable)]
    [TestCase(15, HttpStatusCode.TooManyRequests)]
    [TestCase(102, HttpStatusCode.BadRequest)]
    [TestCase(105, HttpStatusCode.BadRequest)]
    [TestCase(201, HttpStatusCode.BadRequest)]
    [TestCase(282, HttpStatusCode.BadRequest)]
    public void HttpStatus_FollowsNavixysMapping(int code, HttpStatusCode status) =>
        Assert.That(((NavixyErrorCode)code).HttpStatus(), Is.EqualTo((int)status));

    [Test]
    public async Task Failure_HasNavixysShape()
    {
        var response = await _server.PostRawAsync("user/auth", "{");

        Assert.That(response.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(response.Text, Does.StartWith("""{"success":false,"status":{"code":5,"description":"""));
    }

    [TestCase("{")]
    [TestCase("not json")]
    [TestCase("""{"login": "a", "password": "b",}""")]
    [TestCase("""{"login": "a" /* comment */, "password": "b"}""")]
    [TestCase("null")]
    [TestCase("42")]
    [TestCase("\"text\"")]
    [TestCase("[]")]
    public async Task MalformedOrNonObjectBody_Answers5(string body)
    {
        var response = await _server.PostRawAsync("user/auth", body);

        Assert.That(response.Code, Is.EqualTo(5));
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task DeeplyNestedBody_Answers5()
    {
        var body = "{\"login\": " + new string('[', 100) + new string(']', 100) + "}";

        var response = await _server.PostRawAsync("user/auth", body);

        Assert.That(response.Code, Is.EqualTo(5));
    }

    [TestCase(new byte[] { 0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D }, TestName = "InvalidUtf8Body_InAPropertyName_Answers5")]
    [TestCase(new byte[] { 0x7B, 0x22, 0x6C, 0x6F, 0x67, 0x69, 0x6E, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x2C, 0x22, 0x70, 0x61, 0x73, 0x73, 0x77, 0x6F, 0x72, 0x64, 0x22, 0x3A, 0x22, 0x78, 0x22, 0x7D }, TestName = "InvalidUtf8Body_InTheLogin_Answers5")]
    public async Task InvalidUtf8Body_Answers5(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await _server.SendAsync("user/auth", content, authorization: null);

        Assert.That(response.Code, Is.EqualTo(5));
    }

    [Test]
    public async Task BodyLargerThanTheLimit_Answers5()
    {
        var body = "{\"login\": \"" + new string('a', (int)TwoFactorHttpOptions.DefaultMaxBodyBytes) + "\", \"password\": \"x\"}";

        var response = await _server.SendAsync("user/auth", new StringContent(body, Encoding.UTF8, "application/json"), authorization: null, expectContinue: true);

        Assert.That(response.Code, Is.EqualTo(5));
    }

    [TestCase("""{"login": "\uD800", "password": "x"}""", TestName = "LoneSurrogateInLogin_Answers5")]
    [TestCase("""{"login": "a", "password": "\uDC00x"}""", TestName = "LoneSurrogateInPassword_Answers5")]
    public async Task InvalidTextInAString_Answers5(string body)
    {
        var response = await _server.PostRawAsync("user/auth", body);

        Assert.That(response.Code, Is.EqualTo(5), response.Text);
    }

    public static IEnumerable<TestCaseData> HostileCalls()
    {
        string[] paths =
        [
            "panel/account/auth",
            "panel/user/mfa/settings/read",
            "panel/user/mfa/settings/update",
            "panel/user/mfa/settings/default/read",
            "panel/user/mfa/settings/default/update",
            "user/auth",
            "user/get_info",
            "user/auth/code/verify",
            "user/auth/code/resend",
        ];
        string[] bodies =
        [
            """{"login": "\uD800", "password": "\uDFFF", "user_id": 101}""",
            """{"user_id": 9223372036854775807}""",
            """{"user_id": -9223372036854775808}""",
            """{"user_id": 1e400}""",
            """{"target": {"type": "selected", "ids": [9223372036854775808]}, "settings": {"type": "allowed", "factor_types": ["\uDC00"]}}""",
            """{"target": {"type": "\u0000"}, "settings": {"type": "allowed", "factor_types": [null, {}, []]}}""",
            """{"target": {"type": "selected", "ids": [null]}, "settings": {"type": null}}""",
            """{"target": [], "settings": []}""",
            """{"login": {}, "password": []}""",
            """{"user_id": 101, "user_id": "twice"}""",
            """{"code": "\uD800\uD800\uD800\uD800\uD800\uD800"}""",
            """{"code": "\u0661\u0662\u0663\u0664\u0665\u0666"}""",
            """{"code": 1e400}""",
            """{"code": {"code": "123456"}}""",
        ];
        foreach (var path in paths)
        {
            for (var i = 0; i < bodies.Length; i++)
            {
                yield return new TestCaseData(path, bodies[i]).SetArgDisplayNames(path, "body " + i);
            }
        }
    }

    [TestCaseSource(nameof(HostileCalls))]
    public async Task HostileBody_IsAnsweredNeverAsAServerFailure(string path, string body)
    {
        var hash = path switch
        {
            "user/auth/code/verify" => _verifyHash,
            "user/auth/code/resend" => _resendHash,
            _ when path.StartsWith("panel/user", StringComparison.Ordinal) => _panelHash,
            _ => null,
        };

        var response = await _server.PostRawAsync(path, body, hash);

        // Calls that ignore their body (default/read, get_info, resend) or find what they need in it may succeed;
        // resend answers 15 (HTTP 429) while its minute has not passed.
        var expected = response.Success ? HttpStatusCode.OK
            : response.Code == 15 ? HttpStatusCode.TooManyRequests
            : HttpStatusCode.BadRequest;
        Assert.That(response.Status, Is.EqualTo(expected), response.Text);
        if (!response.Success)
        {
            Assert.That(response.Code, Is.Not.EqualTo(1), response.Text);
        }
    }

    [Test]
    public async Task BodyLargerThanTheLimit_SentWithoutALength_Answers5()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"login\": \"" + new string('a', (int)TwoFactorHttpOptions.DefaultMaxBodyBytes) + "\", \"password\": \"x\"}");
        using var content = new StreamContent(new MemoryStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await _server.SendAsync("user/auth", new ChunkedContent(content), authorization: null);

        Assert.That(response.Code, Is.EqualTo(5));
        Assert.That(response.Description, Does.Contain("larger than"));
    }

    [Test]
    public async Task Success_HasNavixysShape()
    {
        var response = await _server.PostAsync("panel/account/auth", new { login = "beacon.admin", password = "beacon-admin-pass" });

        Assert.That(response.Text, Does.StartWith("""{"success":true,"""));
    }

    [Test]
    public async Task Get_IsNotAnApiCall()
    {
        using var client = new HttpClient { BaseAddress = _server.BaseAddress };

        using var response = await client.GetAsync("user/auth");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
    }

    [Test]
    public async Task FormEncodedBody_Answers5()
    {
        using var content = new StringContent("login=a&password=b", Encoding.UTF8, "application/x-www-form-urlencoded");

        var response = await _server.SendAsync("user/auth", content, authorization: null);

        Assert.That(response.Code, Is.EqualTo(5));
    }

    /// <summary>Sends its inner content without a Content-Length, so the body goes chunked.</summary>
    private sealed class ChunkedContent(HttpContent inner) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => inner.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
