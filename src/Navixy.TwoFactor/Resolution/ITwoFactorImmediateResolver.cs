using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Resolution;

/// <summary>
/// Resolves without waiting when the answer needs no I/O: the engine's own resolver on the in-memory policy store answers
/// every principal at once (a table read and the pure resolver, no allocation). With any other store, or a host's own
/// <see cref="ITwoFactorResolver"/> that does not implement this interface, it answers <see langword="false"/> and the
/// caller awaits <see cref="ITwoFactorResolver.ResolveAsync"/> instead:
/// <code>
/// if (!immediate.TryResolve(tenant, userId, out var requirement))
/// {
///     requirement = await resolver.ResolveAsync(tenant, userId, cancellationToken);
/// }
/// </code>
/// </summary>
public interface ITwoFactorImmediateResolver
{
    /// <summary>
    /// Answers what <see cref="ITwoFactorResolver.ResolveAsync"/> would answer, when it can without I/O.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The account or sub-user id; any value (unknown ids answer <see cref="RequirementOutcome.UnknownPrincipal"/>).</param>
    /// <param name="requirement">The requirement with its explanation when answered; otherwise <c>default</c> (unknown principal, never a pass).</param>
    /// <returns>
    /// <see langword="true"/> when <paramref name="requirement"/> is the answer; <see langword="false"/> when the registered
    /// resolver needs I/O for it (ask <see cref="ITwoFactorResolver.ResolveAsync"/>).
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    bool TryResolve(TenantId tenant, long principalId, out Requirement requirement);
}
