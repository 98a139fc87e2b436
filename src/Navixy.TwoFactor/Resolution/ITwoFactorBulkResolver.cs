using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Resolution;

/// <summary>
/// Resolves many principals at once, for hosts that need every answer (reports, exports, a user list): each answer is
/// what <see cref="ITwoFactorResolver.ResolveAsync"/> would give for that principal at some instant during the call.
/// </summary>
public interface ITwoFactorBulkResolver
{
    /// <summary>Resolves a page of principals: <paramref name="answers"/>[i] answers <paramref name="principalIds"/>[i].</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalIds">The principals; any values (unknown ids answer <see cref="RequirementOutcome.UnknownPrincipal"/>).</param>
    /// <param name="answers">Where the answers go; at least as long as <paramref name="principalIds"/>.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>A task that completes when every answer is written.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>, or <paramref name="answers"/> is shorter than <paramref name="principalIds"/>.</exception>
    /// <remarks>
    /// The in-memory store answers a page without a lock or an allocation; another store is read one principal at a
    /// time through <c>IPrincipalPolicyStore.FindPrincipalAsync</c>. A store failure propagates as its exception.
    /// </remarks>
    ValueTask ResolveManyAsync(TenantId tenant, ReadOnlyMemory<long> principalIds, Memory<Requirement> answers, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams the answers for every principal of a tenant (accounts and sub-users, in no particular order), a page at a
    /// time. A page is valid until the next one is asked for. Principals present for the whole enumeration are
    /// answered exactly once; one registered or removed meanwhile may or may not be.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="pageSize">Answers per page, 1 or more; 1,024 by default.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The pages of answers; none for a tenant that has no principal.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is less than 1.</exception>
    /// <exception cref="NotSupportedException">The registered policy store cannot list a tenant's principals (only the in-memory store can).</exception>
    /// <remarks>A store failure propagates as its exception from the enumeration (reports and exports stop rather than miss principals).</remarks>
    IAsyncEnumerable<ReadOnlyMemory<Requirement>> ResolveTenantAsync(TenantId tenant, int pageSize = 1024, CancellationToken cancellationToken = default);
}
