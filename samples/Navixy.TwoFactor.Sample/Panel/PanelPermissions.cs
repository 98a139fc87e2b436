namespace Navixy.TwoFactor.Sample.Panel;

/// <summary>
/// A panel login's permissions as the Panel API shows them, e.g. <c>{"users": ["read", "update"]}</c>:
/// per area, the actions allowed.
/// </summary>
internal sealed class PanelPermissions
{
    /// <summary>The area the MFA settings calls need.</summary>
    public const string Users = "users";

    /// <summary>Needed by the <c>read</c> calls.</summary>
    public const string Read = "read";

    /// <summary>Needed by the <c>update</c> calls.</summary>
    public const string Update = "update";

    private readonly Dictionary<string, string[]> _actions;

    /// <summary>Creates a permission set.</summary>
    /// <param name="actions">Per area, the allowed actions.</param>
    public PanelPermissions(IReadOnlyDictionary<string, string[]> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        _actions = actions.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Every users action: create, read, update, delete.</summary>
    public static PanelPermissions FullUsers { get; } = new(new Dictionary<string, string[]>
    {
        [Users] = ["create", Read, Update, "delete"],
    });

    /// <summary>Users: read only.</summary>
    public static PanelPermissions ReadOnlyUsers { get; } = new(new Dictionary<string, string[]>
    {
        [Users] = [Read],
    });

    /// <summary>The permissions as the Panel API writes them.</summary>
    public IReadOnlyDictionary<string, string[]> ToWire() => _actions.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>Whether <paramref name="action"/> is allowed in <paramref name="area"/>.</summary>
    /// <param name="area">The area, e.g. <c>users</c>.</param>
    /// <param name="action">The action, e.g. <c>read</c>.</param>
    public bool Allows(string area, string action) =>
        _actions.TryGetValue(area, out var actions) && actions.Contains(action, StringComparer.Ordinal);
}
