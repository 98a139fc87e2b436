using System.Text.Json;
using Navixy.TwoFactor.AspNetCore.Sessions;
using Navixy.TwoFactor.AspNetCore.Wire;

namespace Navixy.TwoFactor.AspNetCore.StepUp;

/// <summary>The <c>step_up_hash</c> parameter of the calls that need a fresh second step, and the one error for it.</summary>
internal static class StepUpWire
{
    /// <summary>The parameter's name.</summary>
    public const string Parameter = "step_up_hash";

    /// <summary>
    /// Error 7 for a step-up that is not (or no longer) proof: unknown, another session's, not passed, used, or passed
    /// too long ago. One text for all of them.
    /// </summary>
    public static NavixyError NotAccepted() => NavixyError.Invalid(
        $"{Parameter} is not a passed step-up of this session: pass user/auth/step_up/start and user/auth/step_up/verify first. "
        + "A step-up works for one call, within 5 minutes of passing.");

    /// <summary>Reads <c>step_up_hash</c>.</summary>
    /// <param name="request">The call's body.</param>
    /// <param name="required">Whether the call needs it always (otherwise only when the library says so).</param>
    /// <param name="hash">The hash; <see langword="null"/> when absent and not required.</param>
    /// <returns><see langword="null"/>; error 7 when missing (and required) or not shaped like a hash; error 5 when not a string.</returns>
    public static NavixyError? Read(NavixyRequest request, bool required, out string? hash)
    {
        ArgumentNullException.ThrowIfNull(request);
        hash = null;
        if (!request.Root.TryGetProperty(Parameter, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return required ? NavixyError.Missing(Parameter) : null;
        }

        if (NavixyRequest.ReadString(element, Parameter, out var value) is { } kindError)
        {
            return kindError;
        }

        if (!SessionHandle.IsWellFormed(value))
        {
            return NavixyError.Invalid($"{Parameter} must be the 32 hexadecimal digits user/auth/step_up/start answered.");
        }

        hash = value;
        return null;
    }
}
