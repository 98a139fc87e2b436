using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Navixy.TwoFactor.AspNetCore.Sessions;

namespace Navixy.TwoFactor.AspNetCore.Wire;

/// <summary>
/// Reads the session hash from <c>Authorization: NVX &lt;hash&gt;</c>. A missing header is error 4 (no session); a header
/// that is present but not <c>NVX</c> followed by a well-formed hash (32 lowercase hex digits) is error 3 (wrong hash).
/// Whether a well-formed hash names a session is for the session's owner to say (error 4).
/// </summary>
public static class NvxAuthorization
{
    /// <summary>The authorization scheme of both APIs.</summary>
    public const string Scheme = "NVX";

    /// <summary>Reads the hash of the call's session.</summary>
    /// <param name="request">The call.</param>
    /// <param name="hash">The well-formed hash, when there is one.</param>
    /// <returns><see langword="null"/> when <paramref name="hash"/> is set; otherwise error 4 or 3.</returns>
    public static NavixyError? TryRead(HttpRequest request, out string hash)
    {
        ArgumentNullException.ThrowIfNull(request);
        hash = string.Empty;
        var values = request.Headers[HeaderNames.Authorization];
        if (values.Count == 0 || string.IsNullOrWhiteSpace(values[0]))
        {
            return SessionNotFound();
        }

        if (values.Count > 1)
        {
            return WrongHash();
        }

        var header = values[0]!.AsSpan().Trim();
        if (header.Length <= Scheme.Length
            || !header[..Scheme.Length].Equals(Scheme, StringComparison.OrdinalIgnoreCase)
            || header[Scheme.Length] != ' ')
        {
            return WrongHash();
        }

        var candidate = header[(Scheme.Length + 1)..].Trim();
        if (!SessionHandle.IsWellFormed(candidate))
        {
            return WrongHash();
        }

        hash = candidate.ToString();
        return null;
    }

    /// <summary>Error 4: no session for this hash on this API (also: ended, restricted where a full one is needed).</summary>
    public static NavixyError SessionNotFound() =>
        new(NavixyErrorCode.SessionNotFound, "User or API key not found or session ended.");

    private static NavixyError WrongHash() =>
        new(NavixyErrorCode.WrongHash, "Wrong hash: send the header Authorization: NVX followed by the hash an auth call answered.");
}
