using System.Text.Json;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;

namespace Navixy.TwoFactor.AspNetCore.Wire;

/// <summary>
/// The <c>target</c> of <c>panel/user/mfa/settings/update</c>: <c>{"type": "all"}</c> or
/// <c>{"type": "selected", "ids": [...]}</c>. Ids are passed to the library as given (even zero, negative or
/// none), so that its all-or-nothing check names every offending id.
/// </summary>
internal static class SettingsTargetWire
{
    /// <summary>Reads the target in property <c>target</c> of the body.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="target">The target read.</param>
    /// <returns><see langword="null"/>; error 5 for a wrong JSON kind; error 7 naming what is missing or not acceptable.</returns>
    public static NavixyError? Read(JsonElement body, out SettingsTarget target)
    {
        target = SettingsTarget.All;
        if (NavixyRequest.ReadObject(body, "target", "target", out var element) is { } objectError)
        {
            return objectError;
        }

        if (NavixyRequest.ReadString(element, "type", "target.type", out var type) is { } typeError)
        {
            return typeError;
        }

        switch (type)
        {
            case "all":
                return null;
            case "selected":
                break;
            default:
                return NavixyError.Invalid($"target.type must be \"all\" or \"selected\"; it is {NavixyRequest.Quote(type)}.");
        }

        if (NavixyRequest.ReadArray(element, "ids", "target.ids", out var list) is { } listError)
        {
            return listError;
        }

        var ids = new List<long>(list.GetArrayLength());
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (NavixyRequest.ReadInteger(item, $"target.ids[{index++}]", out var id) is { } idError)
            {
                return idError;
            }

            ids.Add(id);
        }

        target = SettingsTarget.Selected(ids);
        return null;
    }
}
