using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Navixy.TwoFactor.AspNetCore.Wire;

/// <summary>Parsing: the size limit, UTF-8, strict JSON, one object, no property named twice.</summary>
public sealed partial class NavixyRequest
{
    private static async Task<NavixyRequest> ParseAsync(HttpContext context)
    {
        var limit = context.RequestServices.GetService<IOptions<TwoFactorHttpOptions>>()?.Value.MaxBodyBytes ?? TwoFactorHttpOptions.DefaultMaxBodyBytes;
        var request = context.Request;
        if (request.ContentLength > limit)
        {
            return Failed(TooLarge(limit));
        }

        try
        {
            // Buffer first (up to the limit) so an empty body can be told apart from a malformed one.
            using var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return Failed(TooLarge(limit));
                }

                buffer.Write(chunk, 0, read);
            }

            if (buffer.Length == 0)
            {
                return new NavixyRequest(EmptyObject(), null);
            }

            // JSON text is UTF-8; refuse anything else up front, so no string read later can fail to transcode.
            var bytes = new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
            if (!Utf8.IsValid(bytes.Span))
            {
                return Failed(new NavixyError(NavixyErrorCode.WrongRequestFormat, "Wrong request format: the body is not valid UTF-8."));
            }

            using var document = JsonDocument.Parse(bytes, NavixyJson.DocumentOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Failed(new NavixyError(NavixyErrorCode.WrongRequestFormat, "Wrong request format: the body must be a JSON object."));
            }

            return DuplicateProperty(document.RootElement, string.Empty) is { } duplicate
                ? Failed(new NavixyError(NavixyErrorCode.WrongRequestFormat, $"Wrong request format: {duplicate} is given more than once."))
                : new NavixyRequest(document.RootElement.Clone(), null);
        }
        catch (InvalidOperationException)
        {
            // A property name whose escapes do not make valid UTF-16 text.
            return Failed(NavixyError.WrongKind("every property name", "valid text"));
        }
        catch (JsonException)
        {
            return Failed(new NavixyError(NavixyErrorCode.WrongRequestFormat, "Wrong request format: the body is not valid JSON."));
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own MaxRequestBodySize may stop a body sent without a length (413); other cases are bodies the
            // client did not send properly.
            return Failed(e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge(limit)
                : new NavixyError(NavixyErrorCode.WrongRequestFormat, "Wrong request format: the body could not be read."));
        }
    }

    /// <summary>The path of the first property named twice in one object, or <see langword="null"/>.</summary>
    private static string? DuplicateProperty(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var name = property.Name;
                    var propertyPath = path.Length == 0 ? name : path + "." + name;
                    if (!seen.Add(name))
                    {
                        return propertyPath;
                    }

                    if (DuplicateProperty(property.Value, propertyPath) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;

            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (DuplicateProperty(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]")) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;

            default:
                return null;
        }
    }

    private static NavixyRequest Failed(NavixyError error) => new(EmptyObject(), error);

    private static JsonElement EmptyObject()
    {
        using var document = JsonDocument.Parse("{}");
        return document.RootElement.Clone();
    }

    private static NavixyError TooLarge(long limit) => new(
        NavixyErrorCode.WrongRequestFormat,
        string.Create(CultureInfo.InvariantCulture, $"Wrong request format: the body is larger than {limit} bytes."))
    {
        StatusOverride = StatusCodes.Status413PayloadTooLarge,
    };
}
