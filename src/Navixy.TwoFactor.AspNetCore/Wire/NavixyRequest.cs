using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.AspNetCore.Wire;

/// <summary>
/// A call's JSON body, parsed once per request (an endpoint filter and the endpoint share it): a JSON object (an empty
/// body counts as <c>{}</c>), or error 5. A property named twice is refused. Typed readers answer error 5 for a
/// parameter of the wrong JSON kind and error 7 for a missing or unacceptable one, naming the parameter, with the same
/// words wherever the same mistake is made. Nothing here throws on hostile input.
/// </summary>
public sealed partial class NavixyRequest
{
    private static readonly object ItemKey = new();

    private NavixyRequest(JsonElement root, NavixyError? error)
    {
        Root = root;
        Error = error;
    }

    /// <summary>The body's top-level object; empty when <see cref="Error"/> is set.</summary>
    public JsonElement Root { get; }

    /// <summary>Error 5 when the body is not a JSON object (413 when it is over the limit); check it before reading parameters.</summary>
    public NavixyError? Error { get; }

    /// <summary>Reads and parses the body of <paramref name="context"/>, once: later calls answer the same request.</summary>
    /// <param name="context">The call.</param>
    /// <returns>The parsed body, or one whose <see cref="Error"/> is set.</returns>
    public static async Task<NavixyRequest> ReadAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(ItemKey, out var cached) && cached is NavixyRequest parsed)
        {
            return parsed;
        }

        var request = await ParseAsync(context);
        context.Items[ItemKey] = request;
        return request;
    }

    /// <summary>Reads a required string parameter.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="value">The value when present and a string.</param>
    /// <returns><see langword="null"/>, or error 7 when missing (or JSON <c>null</c>), error 5 when not a string.</returns>
    public NavixyError? RequiredString(string name, out string value) => ReadString(Root, name, name, out value);

    /// <summary>Reads a required id parameter: a positive integer, in the same words as an id in a list (<see cref="ReadInteger"/>).</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="value">The id when valid.</param>
    /// <returns><see langword="null"/>, error 7 when missing, not a positive integer or out of range, error 5 when not a number.</returns>
    public NavixyError? RequiredId(string name, out long value)
    {
        value = 0;
        if (!TryGet(Root, name, out var element))
        {
            return NavixyError.Missing(name);
        }

        var error = ReadInteger(element, name, out value);
        if (error is not null)
        {
            return error;
        }

        // The library's own words for a non-positive id, so a read and an update say the same.
        return value > 0 ? null : NavixyError.Invalid($"{name}: {new Policy.SettingsError(Policy.SettingsErrorCode.NonPositiveId, value).Description}");
    }

    /// <summary>Reads a required object property of <paramref name="parent"/>.</summary>
    /// <param name="parent">The enclosing object.</param>
    /// <param name="name">The property name.</param>
    /// <param name="path">The property's full path for messages.</param>
    /// <param name="value">The object when present.</param>
    /// <returns><see langword="null"/>, error 7 when missing, error 5 when not an object.</returns>
    public static NavixyError? ReadObject(JsonElement parent, string name, string path, out JsonElement value)
    {
        if (!TryGet(parent, name, out value))
        {
            return NavixyError.Missing(path);
        }

        return value.ValueKind == JsonValueKind.Object ? null : NavixyError.WrongKind(path, "an object");
    }

    /// <summary>Reads a required array property of <paramref name="parent"/>.</summary>
    /// <param name="parent">The enclosing object.</param>
    /// <param name="name">The property name.</param>
    /// <param name="path">The property's full path for messages.</param>
    /// <param name="value">The array when present.</param>
    /// <returns><see langword="null"/>, error 7 when missing, error 5 when not an array.</returns>
    public static NavixyError? ReadArray(JsonElement parent, string name, string path, out JsonElement value)
    {
        if (!TryGet(parent, name, out value))
        {
            return NavixyError.Missing(path);
        }

        return value.ValueKind == JsonValueKind.Array ? null : NavixyError.WrongKind(path, "an array");
    }

    /// <summary>Reads a required string property of <paramref name="parent"/>.</summary>
    /// <param name="parent">The enclosing object.</param>
    /// <param name="name">The property name.</param>
    /// <param name="path">The property's full path for messages.</param>
    /// <param name="value">The string when present.</param>
    /// <returns><see langword="null"/>, error 7 when missing, error 5 when not a string.</returns>
    public static NavixyError? ReadString(JsonElement parent, string name, string path, out string value)
    {
        value = string.Empty;
        return TryGet(parent, name, out var element) ? ReadString(element, path, out value) : NavixyError.Missing(path);
    }

    /// <summary>Reads a string element.</summary>
    /// <param name="element">The element.</param>
    /// <param name="path">Its path for messages.</param>
    /// <param name="value">The string when it is one.</param>
    /// <returns><see langword="null"/>, or error 5 when not a string or not valid text (e.g. a lone <c>\uD800</c>).</returns>
    public static NavixyError? ReadString(JsonElement element, string path, out string value)
    {
        value = string.Empty;
        if (element.ValueKind != JsonValueKind.String)
        {
            return NavixyError.WrongKind(path, "a string");
        }

        try
        {
            value = element.GetString() ?? string.Empty;
            return null;
        }
        catch (InvalidOperationException)
        {
            // The JSON is well-formed but the escapes do not make valid UTF-16 text.
            return NavixyError.WrongKind(path, "valid text");
        }
    }

    /// <summary>
    /// Reads an integer element (an id as given, possibly zero or negative: the library names those). A whole number
    /// outside 64 bits is named by its bound (<c>at most 9223372036854775807</c>), a fraction as not an integer.
    /// </summary>
    /// <param name="element">The element.</param>
    /// <param name="path">Its path for messages.</param>
    /// <param name="value">The integer when it is one.</param>
    /// <returns><see langword="null"/>, error 5 when not a number, error 7 when not a 64-bit integer.</returns>
    public static NavixyError? ReadInteger(JsonElement element, string path, out long value)
    {
        value = 0;
        if (element.ValueKind != JsonValueKind.Number)
        {
            return NavixyError.WrongKind(path, "a number");
        }

        if (element.TryGetInt64(out value))
        {
            return null;
        }

        var text = element.GetRawText();
        var whole = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && (double.IsInfinity(number) || Math.Abs(number) >= 9.2e18 || number == Math.Floor(number));
        if (!whole)
        {
            return NavixyError.Invalid($"{path} must be an integer.");
        }

        return text.StartsWith('-')
            ? NavixyError.Invalid(string.Create(CultureInfo.InvariantCulture, $"{path} must be an integer at least {long.MinValue}."))
            : NavixyError.Invalid(string.Create(CultureInfo.InvariantCulture, $"{path} must be an integer at most {long.MaxValue}."));
    }

    /// <summary>A rejected value shortened for quoting in a description.</summary>
    /// <param name="value">What the caller sent.</param>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        const int MaxQuoted = 32;
        var shown = value.Length <= MaxQuoted ? value : string.Concat(value.AsSpan(0, MaxQuoted), "...");
        return "\"" + shown + "\"";
    }

    // A property set to JSON null counts as missing, as most JSON APIs treat it.
    private static bool TryGet(JsonElement parent, string name, out JsonElement value) =>
        parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
}
