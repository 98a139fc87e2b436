using System.Text.Json;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.AspNetCore.Wire;

/// <summary>
/// Factor types on the wire: the library's names (<c>email</c>, <c>totp</c>), as a single <c>factor_type</c> or a list
/// such as <c>alternative_factor_types</c>.
/// </summary>
public static class FactorWire
{
    /// <summary>The wire names of a set of factors, in the library's order; <see langword="null"/> for none, so the property is left out.</summary>
    /// <param name="factors">The set.</param>
    public static IReadOnlyList<string>? Names(FactorTypes factors)
    {
        var names = new List<string>();
        foreach (var factor in Enum.GetValues<FactorTypes>())
        {
            if (factor != FactorTypes.None && (factors & factor) == factor && factor.ToWireName() is { } name)
            {
                names.Add(name);
            }
        }

        return names.Count == 0 ? null : names;
    }

    /// <summary>The wire names of a set, joined for a description, e.g. <c>email, totp</c>; <c>none</c> for the empty set.</summary>
    /// <param name="factors">The set.</param>
    public static string Describe(FactorTypes factors) => Names(factors) is { } names ? string.Join(", ", names) : "none";

    /// <summary>Reads an optional single factor type.</summary>
    /// <param name="request">The call's body.</param>
    /// <param name="name">The parameter, e.g. <c>factor_type</c>.</param>
    /// <param name="factor">The factor; <see cref="FactorTypes.None"/> when the parameter is absent (or JSON <c>null</c>).</param>
    /// <returns><see langword="null"/>; error 5 when not a string; error 7 naming an unknown factor type.</returns>
    public static NavixyError? ReadOptional(NavixyRequest request, string name, out FactorTypes factor)
    {
        ArgumentNullException.ThrowIfNull(request);
        factor = FactorTypes.None;
        if (!request.Root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (NavixyRequest.ReadString(element, name, out var wireName) is { } kindError)
        {
            return kindError;
        }

        return FactorTypesExtensions.TryParseWireName(wireName, out factor)
            ? null
            : NavixyError.Invalid($"{name} is an unknown factor type: {NavixyRequest.Quote(wireName)}; known: {Describe(FactorTypesExtensions.All)}.");
    }

    /// <summary>Reads a required single factor type.</summary>
    /// <param name="request">The call's body.</param>
    /// <param name="name">The parameter.</param>
    /// <param name="factor">The factor.</param>
    /// <returns><see langword="null"/>; error 7 when missing or unknown; error 5 when not a string.</returns>
    public static NavixyError? ReadRequired(NavixyRequest request, string name, out FactorTypes factor)
    {
        var error = ReadOptional(request, name, out factor);
        return error ?? (factor == FactorTypes.None ? NavixyError.Missing(name) : null);
    }
}
