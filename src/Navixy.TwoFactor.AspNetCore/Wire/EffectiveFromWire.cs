using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Navixy.TwoFactor.AspNetCore.Wire;

/// <summary>
/// The optional <c>effective_from</c> of a settings update (an extension; policy.md S11): the moment from which the update
/// applies, in ISO 8601 with an offset (<c>2026-03-01T00:00:00Z</c>, <c>2026-03-01T02:00:00+02:00</c>). Left out (or
/// <c>null</c>), the update applies at once, as Navixy's does; a moment that has come applies at once too. A moment more than
/// <see cref="MaxBehind"/> in the past or more than <see cref="MaxAhead"/> ahead is refused as a likely mistake.
/// </summary>
public static partial class EffectiveFromWire
{
    /// <summary>The parameter's name.</summary>
    public const string Name = "effective_from";

    /// <summary>How far in the past a moment may lie (clock skew, a form left open): 1 day. It then applies at once.</summary>
    public static readonly TimeSpan MaxBehind = TimeSpan.FromDays(1);

    /// <summary>How far ahead a change may be scheduled: 366 days.</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(366);

    private const int MaxLength = 40;

    private const string Format = "effective_from must be a date and time in ISO 8601 with an offset, e.g. 2026-03-01T00:00:00Z.";

    /// <summary>Reads <c>effective_from</c> of <paramref name="parent"/>.</summary>
    /// <param name="parent">The request body.</param>
    /// <param name="now">Now, by the library's clock.</param>
    /// <param name="effectiveFrom">The moment, or <see langword="null"/> when none was given.</param>
    /// <returns><see langword="null"/>; error 5 when it is not a string; error 7 when it is not such a moment or out of range.</returns>
    public static NavixyError? Read(JsonElement parent, DateTimeOffset now, out DateTimeOffset? effectiveFrom)
    {
        effectiveFrom = null;
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(Name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (NavixyRequest.ReadString(element, Name, out var text) is { } kindError)
        {
            return kindError;
        }

        if (text.Length > MaxLength || !Iso8601WithOffset().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var moment))
        {
            return NavixyError.Invalid(Format);
        }

        if (moment < now - MaxBehind)
        {
            return NavixyError.Invalid("effective_from must not be more than 1 day in the past; leave it out to apply the change at once.");
        }

        if (moment > now + MaxAhead)
        {
            return NavixyError.Invalid("effective_from must be at most 366 days ahead.");
        }

        effectiveFrom = moment.ToUniversalTime();
        return null;
    }

    // Date, time to the minute, optional seconds and fraction, and a required offset: RFC 3339's profile of ISO 8601.
    // ASCII digits only (\d would take any script's digits); \z, not $, which would allow a final newline.
    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|[+-][0-9]{2}:[0-9]{2})\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Iso8601WithOffset();
}
