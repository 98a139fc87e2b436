namespace Navixy.TwoFactor.Policy;

/// <summary>
/// The immutable snapshot the resolver decides from: what a principal is, its account (itself, or the
/// account a sub-user belongs to) and the tenant's settings, all read together from a store.
/// </summary>
public readonly record struct PrincipalPolicy
{
    /// <summary>Creates a snapshot.</summary>
    /// <param name="principalId">The principal asked about.</param>
    /// <param name="kind">What the principal is; <see cref="PrincipalKind.Unknown"/> when not registered in the tenant.</param>
    /// <param name="account">The account deciding for the principal (ignored when unknown).</param>
    /// <param name="tenant">The tenant's settings.</param>
    public PrincipalPolicy(long principalId, PrincipalKind kind, AccountRecord account, TenantPolicy tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        PrincipalId = principalId;
        Kind = kind;
        Account = kind == PrincipalKind.Unknown ? default : account;
        Tenant = tenant;
    }

    /// <summary>A snapshot for a principal the tenant does not have.</summary>
    /// <param name="principalId">The principal asked about.</param>
    /// <param name="tenant">The tenant's settings.</param>
    public static PrincipalPolicy Unknown(long principalId, TenantPolicy tenant) =>
        new(principalId, PrincipalKind.Unknown, default, tenant);

    /// <summary>The principal asked about.</summary>
    public long PrincipalId { get; }

    /// <summary>What the principal is.</summary>
    public PrincipalKind Kind { get; }

    /// <summary>The account that decides: the principal itself, or a sub-user's account. <c>default</c> when unknown.</summary>
    public AccountRecord Account { get; }

    /// <summary>The tenant's settings.</summary>
    public TenantPolicy Tenant { get; }

    /// <summary>
    /// The moment the answer is for: scheduled changes of <see cref="TenantPolicy.Pending"/> due by then apply (policy.md S11).
    /// The resolving service sets it from its <see cref="TimeProvider"/>; <c>default</c> applies none.
    /// </summary>
    public DateTimeOffset At { get; init; }
}
