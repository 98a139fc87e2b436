using System.Text.Json.Serialization;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Cryptography;

namespace Navixy.TwoFactor.AspNetCore.Endpoints;

// Multi-word names are spelled out so the OpenAPI document shows the wire's snake_case whatever the host's JSON options.

/// <summary>The answer of <c>user/auth</c> without a second step, and of <c>user/auth/code/verify</c>.</summary>
/// <param name="Hash">The host's full session hash.</param>
internal sealed record SessionResponse(string Hash) : NavixySuccess;

/// <summary>
/// The answer of <c>user/auth</c> (and <c>user/auth/factor/switch</c>) when the second step has begun, in Navixy's order:
/// type, factor type, hash; <c>alternative_factor_types</c> (an extension) only when the user may switch.
/// </summary>
/// <param name="FactorType">The factor's wire name: <c>email</c> (a code was sent) or <c>totp</c> (type the app's code).</param>
/// <param name="AlternativeFactorTypes">The factors <c>user/auth/factor/switch</c> accepts; left out when none.</param>
/// <param name="Hash">The restricted handle, good only for the authentication-code calls.</param>
internal sealed record SecondFactorRequiredResponse(
    [property: JsonPropertyOrder(1), JsonPropertyName("factor_type")] string FactorType,
    [property: JsonPropertyOrder(2), JsonPropertyName("alternative_factor_types"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? AlternativeFactorTypes,
    [property: JsonPropertyOrder(3)] string Hash) : NavixySuccess
{
    /// <summary>Always <c>second_factor_required</c>.</summary>
    public string Type { get; } = "second_factor_required";

    /// <summary>Describes the answer without the handle.</summary>
    public override string ToString() => $"second factor required ({FactorType})";
}

/// <summary>
/// The answer of <c>user/auth</c> inside the user's enrolment period (policy.md G1, an extension): the user must enrol an
/// authenticator app before <c>enroll_until</c>, and the restricted handle admits <c>user/auth/totp/begin</c> and
/// <c>user/auth/totp/confirm</c> only; after the confirmation, sign in again.
/// </summary>
/// <param name="EnrollUntil">The end of the user's enrolment period; from then on <c>user/auth</c> answers error 13.</param>
/// <param name="Hash">The restricted handle, good only for enrolling.</param>
internal sealed record EnrollmentRequiredResponse(
    [property: JsonPropertyOrder(3), JsonPropertyName("enroll_until")] DateTimeOffset EnrollUntil,
    [property: JsonPropertyOrder(4)] string Hash) : NavixySuccess
{
    /// <summary>Always <c>enrollment_required</c>.</summary>
    [JsonPropertyOrder(1)]
    public string Type { get; } = "enrollment_required";

    /// <summary>Always <c>totp</c>: the factor to enrol.</summary>
    [JsonPropertyOrder(2)]
    [JsonPropertyName("factor_type")]
    public string FactorType { get; } = "totp";

    /// <summary>Describes the answer without the handle.</summary>
    public override string ToString() => $"enrolment required until {EnrollUntil:O}";
}

/// <summary>The answer of <c>user/auth/step_up/start</c>.</summary>
/// <param name="FactorType">The factor the step-up runs.</param>
/// <param name="AlternativeFactorTypes">Factors a new start may ask for instead; left out when none.</param>
/// <param name="StepUpHash">The step-up, for <c>user/auth/step_up/verify</c> and then the sensitive call.</param>
internal sealed record StepUpStartResponse(
    [property: JsonPropertyOrder(1), JsonPropertyName("factor_type")] string FactorType,
    [property: JsonPropertyOrder(2), JsonPropertyName("alternative_factor_types"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? AlternativeFactorTypes,
    [property: JsonPropertyOrder(3), JsonPropertyName("step_up_hash")] string StepUpHash) : NavixySuccess;

/// <summary>The answer of <c>user/auth/totp/begin</c>: the new secret, this once. <see cref="ToString"/> never shows it.</summary>
/// <param name="Secret">The secret as unpadded Base32.</param>
/// <param name="OtpauthUri">The <c>otpauth://totp/</c> URI to show as a QR code; it contains the secret.</param>
/// <param name="Algorithm"><c>SHA1</c>, <c>SHA256</c> or <c>SHA512</c>.</param>
/// <param name="Digits">Digits per code.</param>
/// <param name="Period">Seconds per code.</param>
/// <param name="ExpiresAt">Until when <c>user/auth/totp/confirm</c> accepts a code for this secret.</param>
internal sealed record TotpBeginResponse(
    [property: JsonPropertyOrder(1)] string Secret,
    [property: JsonPropertyOrder(2), JsonPropertyName("otpauth_uri")] string OtpauthUri,
    [property: JsonPropertyOrder(3)] string Algorithm,
    [property: JsonPropertyOrder(4)] int Digits,
    [property: JsonPropertyOrder(5)] int Period,
    [property: JsonPropertyOrder(6), JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt) : NavixySuccess
{
    /// <summary>Describes the answer without the secret or the URI.</summary>
    public override string ToString() => $"authenticator begun, confirm before {ExpiresAt:O}";
}

/// <summary>The answer of <c>user/auth/totp/confirm</c> and <c>user/auth/recovery_codes/regenerate</c>. <see cref="ToString"/> never shows the codes.</summary>
/// <param name="RecoveryCodes">The new recovery codes, this once.</param>
internal sealed record RecoveryCodesResponse([property: JsonPropertyName("recovery_codes")] IReadOnlyList<string> RecoveryCodes) : NavixySuccess
{
    /// <summary>Describes the answer without the codes.</summary>
    public override string ToString() => $"{RecoveryCodes.Count} recovery codes";
}

/// <summary>The answer of <c>user/auth/totp/status</c>.</summary>
/// <param name="Value">The status.</param>
internal sealed record TotpStatusResponse(TotpStatus Value) : NavixySuccess;

/// <summary>A user's authenticator state; never a secret.</summary>
/// <param name="Enrolled">Whether an authenticator app is active.</param>
/// <param name="PendingEnrollment">Whether a begun enrolment awaits confirmation.</param>
/// <param name="RecoveryCodesLeft">Unused recovery codes.</param>
/// <param name="TotpAllowed">Whether the dealer's MFA settings for this user allow <c>totp</c>.</param>
internal sealed record TotpStatus(
    bool Enrolled,
    [property: JsonPropertyName("pending_enrollment")] bool PendingEnrollment,
    [property: JsonPropertyName("recovery_codes_left")] int RecoveryCodesLeft,
    [property: JsonPropertyName("totp_allowed")] bool TotpAllowed);

/// <summary>The answer of the settings reads.</summary>
/// <param name="Value">The MFA settings object.</param>
internal sealed record SettingsValueResponse(MfaSettings Value) : NavixySuccess;
