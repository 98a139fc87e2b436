namespace Navixy.TwoFactor.Policy;

/// <summary>
/// Who made a change, as the host names it (for example <c>admin:17</c> or <c>user:42</c>); recorded in the audit trail
/// (policy.md A1). The library never interprets it. <c>default</c> is <see cref="Unknown"/>.
/// </summary>
public readonly record struct TwoFactorActor
{
    /// <summary>The longest name kept; a longer one is cut to this many characters.</summary>
    public const int MaxLength = 200;

    private const string UnknownName = "unknown";

    private readonly string? _name;

    /// <summary>Creates an actor. A null, empty or blank name is <see cref="Unknown"/>; a name over <see cref="MaxLength"/> is cut.</summary>
    /// <param name="name">The host's name for the actor.</param>
    public TwoFactorActor(string? name) =>
        _name = string.IsNullOrWhiteSpace(name) ? null : name.Length > MaxLength ? name[..MaxLength] : name;

    /// <summary>The actor the host did not name.</summary>
    public static TwoFactorActor Unknown => default;

    /// <summary>The actor's name; <c>unknown</c> for <see cref="Unknown"/>.</summary>
    public string Name => _name ?? UnknownName;

    /// <summary>Whether the host named no actor.</summary>
    public bool IsUnknown => _name is null;

    /// <summary>The actor's name.</summary>
    public override string ToString() => Name;
}

/// <summary>
/// Tells the engine who is acting in the current operation (like <c>IHttpContextAccessor</c>): every mutating call reads it
/// once, and the audit trail records it. The default registration answers <see cref="TwoFactorActor.Unknown"/>; a host
/// registers its own (the ASP.NET Core package registers one that reads the request's signed-in administrator or user).
/// </summary>
public interface ITwoFactorActorAccessor
{
    /// <summary>The actor of the operation running now.</summary>
    TwoFactorActor Actor { get; }
}
