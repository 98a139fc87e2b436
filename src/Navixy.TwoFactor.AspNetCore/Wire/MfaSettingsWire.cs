using System.Text.Json;
using System.Text.Json.Serialization;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.AspNetCore.Wire;

/// <summary>
/// Navixy's MFA settings object, <c>{"type": "allowed", "factor_types": ["email"]}</c> or
/// <c>{"type": "disallowed"}</c>, read into and written from the library's <see cref="TwoFactorSetting"/>.
/// Factor type names are the library's (<see cref="FactorTypesExtensions"/>).
/// </summary>
public static class MfaSettingsWire
{
    /// <summary>The <c>type</c> of a setting that turns the second step on.</summary>
    public const string Allowed = "allowed";

    /// <summary>The <c>type</c> of a setting that turns it off.</summary>
    public const string Disallowed = "disallowed";

    /// <summary>Reads the settings object in property <paramref name="name"/> of <paramref name="parent"/>.</summary>
    /// <param name="parent">The request body (or the object holding the settings).</param>
    /// <param name="name">The property, <c>settings</c>.</param>
    /// <param name="setting">The setting read; the library validates it again before storing anything.</param>
    /// <returns><see langword="null"/>; error 5 for a wrong JSON kind; error 7 naming what is missing or not acceptable.</returns>
    public static NavixyError? Read(JsonElement parent, string name, out TwoFactorSetting setting)
    {
        setting = TwoFactorSetting.Disallowed;
        if (NavixyRequest.ReadObject(parent, name, name, out var settings) is { } objectError)
        {
            return objectError;
        }

        if (NavixyRequest.ReadString(settings, "type", name + ".type", out var type) is { } typeError)
        {
            return typeError;
        }

        if (type == Disallowed)
        {
            // factor_types means nothing for a disallowed setting; it is ignored, as it would be by Navixy.
            return null;
        }

        if (type != Allowed)
        {
            return NavixyError.Invalid($"{name}.type must be \"{Allowed}\" or \"{Disallowed}\"; it is {NavixyRequest.Quote(type)}.");
        }

        var path = name + ".factor_types";
        if (!settings.TryGetProperty("factor_types", out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return NavixyError.Invalid($"{path} is required when {name}.type is \"{Allowed}\".");
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            return NavixyError.WrongKind(path, "an array");
        }

        if (list.GetArrayLength() == 0)
        {
            return NavixyError.Invalid($"{path} must name at least one factor type when {name}.type is \"{Allowed}\".");
        }

        var factors = FactorTypes.None;
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var itemPath = $"{path}[{index++}]";
            if (NavixyRequest.ReadString(item, itemPath, out var wireName) is { } itemError)
            {
                return itemError;
            }

            if (!FactorTypesExtensions.TryParseWireName(wireName, out var factor))
            {
                return NavixyError.Invalid($"{itemPath} is an unknown factor type: {NavixyRequest.Quote(wireName)}.");
            }

            factors |= factor;
        }

        setting = TwoFactorSetting.Allowed(factors);
        return null;
    }

    /// <summary>The settings object for a setting.</summary>
    /// <param name="setting">A stored setting.</param>
    public static MfaSettings Write(TwoFactorSetting setting)
    {
        if (!setting.IsAllowed)
        {
            return new MfaSettings(Disallowed, null);
        }

        var names = new List<string>();
        foreach (var factor in Enum.GetValues<FactorTypes>())
        {
            if (factor != FactorTypes.None && setting.Factors.HasFlag(factor) && factor.ToWireName() is { } wireName)
            {
                names.Add(wireName);
            }
        }

        return new MfaSettings(Allowed, names);
    }
}

/// <summary>The MFA settings object as written in responses.</summary>
/// <param name="Type"><c>allowed</c> or <c>disallowed</c>.</param>
/// <param name="FactorTypes">For an allowed setting, the factor types' wire names; omitted otherwise.</param>
public sealed record MfaSettings(
    string Type,
    [property: JsonPropertyName("factor_types"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? FactorTypes);
