using System.Text.Encodings.Web;
using System.Text.Json;

namespace Navixy.TwoFactor.AspNetCore.Wire;

/// <summary>The JSON conventions of both APIs: snake_case names, compact output; strict, shallow request bodies.</summary>
internal static class NavixyJson
{
    /// <summary>How responses are written.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        // Responses are application/json, never inlined into HTML, so quotes in descriptions are written as \"
        // rather than \u0022. Any character is still escaped as JSON requires.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>How request bodies are parsed: strict JSON, shallow documents only.</summary>
    public static JsonDocumentOptions DocumentOptions { get; } = new()
    {
        MaxDepth = 16,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };
}
