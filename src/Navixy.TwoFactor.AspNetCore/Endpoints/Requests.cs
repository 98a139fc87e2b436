using System.Text.Json.Serialization;
using Navixy.TwoFactor.AspNetCore.Wire;

namespace Navixy.TwoFactor.AspNetCore.Endpoints;

// The request bodies as the OpenAPI document shows them. Bodies are read by NavixyRequest (strict JSON, Navixy's errors),
// not bound to these records.

/// <summary><c>user/auth</c>; <c>device_token</c> (an extension) is what a verify with <c>remember_device</c> returned.</summary>
internal sealed record UserAuthRequest(string Login, string Password, [property: JsonPropertyName("device_token")] string? DeviceToken);

/// <summary><c>user/auth/code/verify</c>, <c>user/auth/totp/confirm</c>.</summary>
internal sealed record CodeRequest(string Code);

/// <summary><c>user/auth/code/verify</c> with the optional <c>remember_device</c> and <c>device_label</c> (an extension).</summary>
internal sealed record CodeVerifyRequest(
    string Code,
    [property: JsonPropertyName("remember_device")] bool? RememberDevice,
    [property: JsonPropertyName("device_label")] string? DeviceLabel);

/// <summary><c>user/auth/factor/switch</c>, <c>user/auth/step_up/start</c>.</summary>
internal sealed record FactorRequest([property: JsonPropertyName("factor_type")] string? FactorType);

/// <summary><c>user/auth/step_up/verify</c>.</summary>
internal sealed record StepUpVerifyRequest([property: JsonPropertyName("step_up_hash")] string StepUpHash, string Code);

/// <summary>Calls behind <c>RequireStepUp()</c>; optional for <c>user/auth/totp/begin</c>.</summary>
internal sealed record StepUpRequest([property: JsonPropertyName("step_up_hash")] string? StepUpHash);

/// <summary><c>panel/user/mfa/settings/read</c>.</summary>
internal sealed record UserIdRequest([property: JsonPropertyName("user_id")] long UserId);

/// <summary>The <c>target</c> of an update: <c>all</c>, or <c>selected</c> with <c>ids</c>.</summary>
internal sealed record SettingsTargetDocument(string Type, IReadOnlyList<long>? Ids);

/// <summary><c>panel/user/mfa/settings/update</c>; <c>effective_from</c> (an extension, ISO 8601 with an offset) schedules it.</summary>
internal sealed record SettingsUpdateRequest(
    SettingsTargetDocument Target,
    MfaSettings Settings,
    [property: JsonPropertyName("effective_from")] DateTimeOffset? EffectiveFrom);

/// <summary><c>panel/user/mfa/settings/default/update</c>; <c>effective_from</c> (an extension, ISO 8601 with an offset) schedules it.</summary>
internal sealed record DefaultSettingsUpdateRequest(
    MfaSettings Settings,
    [property: JsonPropertyName("effective_from")] DateTimeOffset? EffectiveFrom);
