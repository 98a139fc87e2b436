using System.Reflection;
using NetArchTest.Rules;

namespace Navixy.TwoFactor.Tests.Architecture;

/// <summary>
/// The library's layers and what each may reference, and a checker that reads the compiled assembly (NetArchTest.Rules,
/// over IL: fields, signatures, locals, calls, attributes) for any reference a layer may not make.
/// </summary>
/// <param name="Root">The root namespace of the assembly the map describes.</param>
/// <param name="Layers">Each layer by its namespace (relative to the root; "" is the root itself) with the layers it may use.</param>
public sealed record LayerMap(string Root, IReadOnlyDictionary<string, string[]> Layers)
{
    /// <summary>
    /// Navixy.TwoFactor: Policy ← Resolution ← Stores ← Settings / Challenges / Totp ← Administration ← DependencyInjection,
    /// with Diagnostics, Cryptography and the root (the options every layer is configured by) beside. Settings, Challenges and
    /// Totp are siblings: none uses another, except that authenticator enrolment (Totp) is built on the second step's
    /// machinery (step-up, confirmation challenges, the email sender), so Totp may use Challenges and never the reverse.
    /// </summary>
    public static LayerMap Library { get; } = new("Navixy.TwoFactor", new Dictionary<string, string[]>
    {
        ["Policy"] = [],
        [""] = ["Policy"],
        ["Diagnostics"] = ["Policy"],
        ["Cryptography"] = ["Policy", "", "Diagnostics"],
        ["Resolution"] = ["Policy", "", "Diagnostics", "Cryptography"],
        ["Stores"] = ["Policy", "", "Diagnostics", "Cryptography", "Resolution"],
        ["Settings"] = ["Policy", "", "Diagnostics", "Cryptography", "Resolution", "Stores"],
        ["Challenges"] = ["Policy", "", "Diagnostics", "Cryptography", "Resolution", "Stores"],
        ["Totp"] = ["Policy", "", "Diagnostics", "Cryptography", "Resolution", "Stores", "Challenges"],
        ["Devices"] = ["Policy", "", "Diagnostics", "Cryptography", "Resolution", "Stores", "Challenges"],
        ["Administration"] = ["Policy", "", "Diagnostics", "Cryptography", "Resolution", "Stores", "Settings", "Challenges", "Totp"],
    });

    /// <summary>The layer a namespace belongs to (a sub-namespace belongs to its layer), or null when the map lacks it.</summary>
    public string? LayerOf(string? ns)
    {
        if (ns is null)
        {
            return null;
        }

        if (ns == Root)
        {
            return Layers.ContainsKey("") ? "" : null;
        }

        if (!ns.StartsWith(Root + ".", StringComparison.Ordinal))
        {
            return null;
        }

        var first = ns[(Root.Length + 1)..].Split('.')[0];
        return Layers.ContainsKey(first) ? first : null;
    }

    /// <summary>
    /// Every reference in <paramref name="assembly"/> from a layer to a layer it may not use, as "type → layer" lines; empty
    /// when the dependencies point one way. Types outside the map's root (the host-facing DependencyInjection extensions
    /// live in <c>Microsoft.Extensions.DependencyInjection</c>) are the top and may use everything.
    /// </summary>
    public IReadOnlyList<string> FindBackwardReferences(Assembly assembly)
    {
        var typesByLayer = assembly.GetTypes()
            .Where(t => t.FullName is not null && LayerOf(t.Namespace) is not null)
            .GroupBy(t => LayerOf(t.Namespace)!)
            .ToDictionary(g => g.Key, g => g.Select(t => t.FullName!.Replace('+', '/')).Distinct().ToArray());

        var violations = new List<string>();
        foreach (var (layer, allowed) in Layers)
        {
            var forbidden = Layers.Keys.Where(other => other != layer && !allowed.Contains(other)).ToArray();
            foreach (var target in forbidden)
            {
                if (!typesByLayer.TryGetValue(target, out var targetTypes))
                {
                    continue;
                }

                var result = Types.InAssembly(assembly)
                    .That().ResideInNamespaceMatching(NamespacePattern(layer))
                    .ShouldNot().HaveDependencyOnAny(targetTypes)
                    .GetResult();
                if (!result.IsSuccessful)
                {
                    violations.AddRange(result.FailingTypeNames.Select(name => $"{name} → {Describe(target)}"));
                }
            }
        }

        return violations;
    }

    private string NamespacePattern(string layer) => layer.Length == 0
        ? $"^{Escape(Root)}$"
        : $"^{Escape(Root)}\\.{Escape(layer)}(\\..*)?$";

    private string Describe(string layer) => layer.Length == 0 ? Root : $"{Root}.{layer}";

    private static string Escape(string value) => System.Text.RegularExpressions.Regex.Escape(value);
}
