using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace Navixy.TwoFactor.Sample.Wire;

/// <summary>
/// A call's JSON body, parsed once: a JSON object (an empty body counts as <c>{}</c>), or error 5. Typed
/// readers answer error 5 for a parameter of the wrong JSON kind and error 7 for a missing or unacceptable
/// one, naming the parameter. Nothing here throws on hostile input.
/// </summary>
internal sealed class WireRequest
{
    /// <summary>The largest body any call accepts; larger bodies are refused with error 5 before parsing.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    private WireRequest(JsonElement root, WireError? error)
    {
        Root = root;
        Error = error;
    }

    /// <summary>The body's top-level object; empty when <see cref="Error"/> is set.</summary>
    public JsonElement Root { get; }

    /// <summary>Error 5 when the body is not a JSON object; check it before reading parameters.</summary>
    public WireError? Error { get; }

    /// <summary>Reads and parses the body of <paramref name="context"/>.</summary>
    /// <param name="context">The call.</param>
    /// <returns>The parsed body, or one whose <see cref="Error"/> is error 5.</returns>
    public static async Task<WireRequest> ReadAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            return Failed(TooLarge());
        }

        try
        {
            // Buffer first so an empty body can be told apart from a malformed one.
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, context.RequestAborted);
            if (buffer.Length == 0)
            {
                return new WireRequest(EmptyObject(), null);
            }

            // JSON text is UTF-8; refuse anything else up front, so no string read later can fail to transcode.
            var bytes = new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
            if (!Utf8.IsValid(bytes.Span))
            {
                return Failed(new WireError(ErrorCode.WrongRequestFormat, "Wrong request format: the body is not valid UTF-8."));
            }

            using var document = JsonDocument.Parse(bytes, WireJson.DocumentOptions);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? new WireRequest(document.RootElement.Clone(), null)
                : Failed(new WireError(ErrorCode.WrongRequestFormat, "Wrong request format: the body must be a JSON object."));
        }
        catch (JsonException)
        {
            return Failed(new WireError(ErrorCode.WrongRequestFormat, "Wrong request format: the body is not valid JSON."));
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's MaxRequestBodySize (set to MaxBodyBytes by SampleApp) stops a body sent without a length (413);
            // other cases are bodies the client did not send properly.
            return Failed(e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge()
                : new WireError(ErrorCode.WrongRequestFormat, "Wrong request format: the body could not be read."));
        }
    }

    /// <summary>Reads a required string parameter.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="value">The value when present and a string.</param>
    /// <returns><see langword="null"/>, or error 7 when missing (or JSON <c>null</c>), error 5 when not a string.</returns>
    public WireError? RequiredString(string name, out string value) =>
        ReadString(Root, name, name, out value);

    /// <summary>Reads a required id parameter: a positive integer.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="value">The id when valid.</param>
    /// <returns><see langword="null"/>, error 7 when missing or not a positive integer, error 5 when not a number.</returns>
    public WireError? RequiredId(string name, out long value) => ReadId(Root, name, name, out value);

    /// <summary>Reads a required object parameter.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="value">The object when present.</param>
    /// <returns><see langword="null"/>, error 7 when missing, error 5 when not an object.</returns>
    public WireError? RequiredObject(string name, out JsonElement value) => ReadObject(Root, name, name, out value);

    /// <summary>Reads a required object property of <paramref name="parent"/>.</summary>
    /// <param name="parent">The enclosing object.</param>
    /// <param name="name">The property name.</param>
    /// <param name="path">The property's full path for messages.</param>
    /// <param name="value">The object when present.</param>
    public static WireError? ReadObject(JsonElement parent, string name, string path, out JsonElement value)
    {
        if (!TryGet(parent, name, out value))
        {
            return WireError.Missing(path);
        }

        return value.ValueKind == JsonValueKind.Object ? null : WireError.WrongKind(path, "an object");
    }

    /// <summary>Reads a required string property of <paramref name="parent"/>.</summary>
    /// <param name="parent">The enclosing object.</param>
    /// <param name="name">The property name.</param>
    /// <param name="path">The property's full path for messages.</param>
    /// <param name="value">The string when present.</param>
    public static WireError? ReadString(JsonElement parent, string name, string path, out string value)
    {
        value = string.Empty;
        return TryGet(parent, name, out var element) ? ReadString(element, path, out value) : WireError.Missing(path);
    }

    /// <summary>Reads a string element.</summary>
    /// <param name="element">The element.</param>
    /// <param name="path">Its path for messages.</param>
    /// <param name="value">The string when it is one.</param>
    /// <returns><see langword="null"/>, or error 5 when not a string or not valid text (e.g. a lone <c>\uD800</c>).</returns>
    public static WireError? ReadString(JsonElement element, string path, out string value)
    {
        value = string.Empty;
        if (element.ValueKind != JsonValueKind.String)
        {
            return WireError.WrongKind(path, "a string");
        }

        try
        {
            value = element.GetString() ?? string.Empty;
            return null;
        }
        catch (InvalidOperationException)
        {
            // The JSON is well-formed but the escapes do not make valid UTF-16 text.
            return WireError.WrongKind(path, "valid text");
        }
    }

    /// <summary>Reads a required array property of <paramref name="parent"/>.</summary>
    /// <param name="parent">The enclosing object.</param>
    /// <param name="name">The property name.</param>
    /// <param name="path">The property's full path for messages.</param>
    /// <param name="value">The array when present.</param>
    public static WireError? ReadArray(JsonElement parent, string name, string path, out JsonElement value)
    {
        if (!TryGet(parent, name, out value))
        {
            return WireError.Missing(path);
        }

        return value.ValueKind == JsonValueKind.Array ? null : WireError.WrongKind(path, "an array");
    }

    /// <summary>Reads an integer element (an id as given, possibly zero or negative: the library names those).</summary>
    /// <param name="element">The element.</param>
    /// <param name="path">Its path for messages.</param>
    /// <param name="value">The integer when it is one.</param>
    /// <returns><see langword="null"/>, error 5 when not a number, error 7 when not a 64-bit integer.</returns>
    public static WireError? ReadInteger(JsonElement element, string path, out long value)
    {
        value = 0;
        if (element.ValueKind != JsonValueKind.Number)
        {
            return WireError.WrongKind(path, "a number");
        }

        return element.TryGetInt64(out value) ? null : WireError.Invalid($"{path} must be an integer.");
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

    private static WireError? ReadId(JsonElement parent, string name, string path, out long value)
    {
        value = 0;
        if (!TryGet(parent, name, out var element))
        {
            return WireError.Missing(path);
        }

        var error = ReadInteger(element, path, out value);
        if (error is not null)
        {
            return error;
        }

        return value > 0
            ? null
            : WireError.Invalid($"{path} must be a positive integer; it is {value.ToString(CultureInfo.InvariantCulture)}.");
    }

    // A property set to JSON null counts as missing, as most JSON APIs treat it.
    private static bool TryGet(JsonElement parent, string name, out JsonElement value) =>
        parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static WireRequest Failed(WireError error) => new(EmptyObject(), error);

    private static JsonElement EmptyObject()
    {
        using var document = JsonDocument.Parse("{}");
        return document.RootElement.Clone();
    }

    private static WireError TooLarge() => new(
        ErrorCode.WrongRequestFormat,
        $"Wrong request format: the body is larger than {MaxBodyBytes.ToString(CultureInfo.InvariantCulture)} bytes.");
}
