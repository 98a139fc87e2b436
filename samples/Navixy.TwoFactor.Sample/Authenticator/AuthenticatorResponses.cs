using System.Text.Json.Serialization;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Sample.Wire;

namespace Navixy.TwoFactor.Sample.Authenticator;

/// <summary>The answer of <c>user/auth/totp/begin</c>: the new secret, this once. <see cref="ToString"/> never shows it.</summary>
/// <param name="Secret">The secret as unpadded Base32, for typing into an app.</param>
/// <param name="OtpauthUri">The <c>otpauth://totp/</c> URI to show as a QR code; it contains the secret.</param>
/// <param name="Algorithm"><c>SHA1</c> (the default), <c>SHA256</c> or <c>SHA512</c>.</param>
/// <param name="Digits">Digits per code.</param>
/// <param name="Period">Seconds per code.</param>
/// <param name="ExpiresAt">Until when <c>user/auth/totp/confirm</c> accepts a code for this secret.</param>
internal sealed record TotpBeginResponse(
    [property: JsonPropertyOrder(1)] string Secret,
    [property: JsonPropertyOrder(2)] string OtpauthUri,
    [property: JsonPropertyOrder(3)] string Algorithm,
    [property: JsonPropertyOrder(4)] int Digits,
    [property: JsonPropertyOrder(5)] int Period,
    [property: JsonPropertyOrder(6)] DateTimeOffset ExpiresAt) : SuccessResponse
{
    /// <summary>Describes the answer without the secret or the URI.</summary>
    public override string ToString() => $"authenticator begun, confirm before {ExpiresAt:O}";
}

/// <summary>The answer of <c>user/auth/totp/confirm</c> and <c>user/auth/recovery_codes/regenerate</c>. <see cref="ToString"/> never shows the codes.</summary>
/// <param name="RecoveryCodes">The new recovery codes, this once.</param>
internal sealed record RecoveryCodesResponse(IReadOnlyList<string> RecoveryCodes) : SuccessResponse
{
    /// <summary>Describes the answer without the codes.</summary>
    public override string ToString() => $"{RecoveryCodes.Count} recovery codes";
}

/// <summary>The answer of <c>user/auth/totp/status</c>.</summary>
/// <param name="Value">The status.</param>
internal sealed record TotpStatusResponse(TotpStatus Value) : SuccessResponse;

/// <summary>A user's authenticator state; never a secret.</summary>
/// <param name="Enrolled">Whether an authenticator app is active.</param>
/// <param name="PendingEnrollment">Whether a begun enrolment awaits confirmation.</param>
/// <param name="RecoveryCodesLeft">Unused recovery codes.</param>
/// <param name="TotpAllowed">Whether the dealer's MFA settings for this user allow <c>totp</c> (so <c>user/auth/totp/begin</c> may be called).</param>
internal sealed record TotpStatus(bool Enrolled, bool PendingEnrollment, int RecoveryCodesLeft, bool TotpAllowed);
