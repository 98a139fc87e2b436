using System.Net;

namespace Navixy.TwoFactor.AspNetCore.Wire;

/// <summary>
/// The Navixy status codes the endpoints answer (Navixy's wire conventions). Clients act on the code; the
/// description is for people.
/// </summary>
public enum NavixyErrorCode
{
    /// <summary>Database error: something failed inside the server. Answered for any unexpected failure, never with details.</summary>
    DatabaseError = 1,

    /// <summary>Wrong hash: the <c>Authorization</c> header does not carry a well-formed session hash.</summary>
    WrongHash = 3,

    /// <summary>User or API key not found or session ended: no session for this hash on this API.</summary>
    SessionNotFound = 4,

    /// <summary>Wrong request format: the body is not a JSON object, too large, or a parameter has the wrong JSON kind.</summary>
    WrongRequestFormat = 5,

    /// <summary>Invalid parameters: a parameter is missing or its value is not acceptable.</summary>
    InvalidParameters = 7,

    /// <summary>Access denied.</summary>
    AccessDenied = 11,

    /// <summary>Operation not permitted: the session lacks the permission, or the operation is not available.</summary>
    OperationNotPermitted = 13,

    /// <summary>Too many requests.</summary>
    TooManyRequests = 15,

    /// <summary>In demo mode this function is disabled: a demo user may not change its two-factor authentication.</summary>
    DemoModeDisabled = 101,

    /// <summary>Wrong login or password.</summary>
    WrongLoginOrPassword = 102,

    /// <summary>Login attempts limit exceeded.</summary>
    LoginAttemptsExceeded = 105,

    /// <summary>Wrong handler: no such action (answered with HTTP 404).</summary>
    WrongHandler = 111,

    /// <summary>Wrong method: the action takes <c>POST</c> (answered with HTTP 405).</summary>
    WrongMethod = 112,

    /// <summary>Not found in the database. Another dealer's id answers exactly this.</summary>
    NotFound = 201,

    /// <summary>
    /// Wrong authentication code. Also answered for an expired code, a challenge locked after too many wrong codes, one
    /// already used, or one the library does not know: the client learns only that the code did not pass.
    /// </summary>
    WrongAuthenticationCode = 282,
}

/// <summary>The HTTP status each code travels with.</summary>
public static class NavixyErrorCodeExtensions
{
    /// <summary>
    /// HTTP 400 by default; 403 for 2, 11, 13; 429 for 15; 500 for 1 and 6; 503 for 8 and 14; 404 for 111 (no such
    /// action) and 405 for 112 (wrong method).
    /// </summary>
    /// <param name="code">The Navixy status code.</param>
    public static int HttpStatus(this NavixyErrorCode code) => (int)code switch
    {
        2 or 11 or 13 => (int)HttpStatusCode.Forbidden,
        15 => (int)HttpStatusCode.TooManyRequests,
        1 or 6 => (int)HttpStatusCode.InternalServerError,
        8 or 14 => (int)HttpStatusCode.ServiceUnavailable,
        111 => (int)HttpStatusCode.NotFound,
        112 => (int)HttpStatusCode.MethodNotAllowed,
        _ => (int)HttpStatusCode.BadRequest,
    };
}
