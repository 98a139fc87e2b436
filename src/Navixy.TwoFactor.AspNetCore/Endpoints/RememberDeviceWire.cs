using System.Text.Json;
using System.Text.Json.Serialization;
using Navixy.TwoFactor.AspNetCore.Wire;

namespace Navixy.TwoFactor.AspNetCore.Endpoints;

/// <summary>The optional <c>remember_device</c> (boolean) and <c>device_label</c> (string) of <c>user/auth/code/verify</c>.</summary>
/// <param name="Requested">Whether the client asked to remember this device.</param>
/// <param name="Label">The client's label for the device, or null.</param>
internal readonly record struct RememberDeviceWire(bool Requested, string? Label)
{
    /// <summary>Reads both; error 5 when either has the wrong kind.</summary>
    public static NavixyError? Read(JsonElement root, out RememberDeviceWire remember)
    {
        remember = default;
        var requested = false;
        if (root.TryGetProperty("remember_device", out var flag) && flag.ValueKind != JsonValueKind.Null)
        {
            if (flag.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return NavixyError.WrongKind("remember_device", "a boolean");
            }

            requested = flag.GetBoolean();
        }

        string? label = null;
        if (root.TryGetProperty("device_label", out var text) && text.ValueKind != JsonValueKind.Null)
        {
            if (NavixyRequest.ReadString(text, "device_label", out var value) is { } error)
            {
                return error;
            }

            label = value;
        }

        remember = new RememberDeviceWire(requested, label);
        return null;
    }
}

/// <summary>
/// The answer of <c>user/auth/code/verify</c> with <c>remember_device</c> when the device is remembered: the full session and
/// the device token, this once. <see cref="ToString"/> never shows the token or the session.
/// </summary>
/// <param name="Hash">The host's full session hash.</param>
/// <param name="DeviceToken">The device token to send as <c>device_token</c> at the next <c>user/auth</c>.</param>
/// <param name="DeviceExpiresAt">Until when the token is honoured under the dealer's current remember period.</param>
internal sealed record RememberedSessionResponse(
    [property: JsonPropertyOrder(1)] string Hash,
    [property: JsonPropertyOrder(2), JsonPropertyName("device_token")] string DeviceToken,
    [property: JsonPropertyOrder(3), JsonPropertyName("device_expires_at")] DateTimeOffset DeviceExpiresAt) : NavixySuccess
{
    /// <summary>Describes the answer without the session or the token.</summary>
    public override string ToString() => $"signed in, device remembered until {DeviceExpiresAt:O}";
}
