using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.AuditTrail;

/// <summary>
/// Optional for an <see cref="IChallengeStore"/> whose unlock can append its audit-trail entry in the same atomic step
/// (policy.md A2), as a database does in one transaction. Without it the engine appends the entry right after the unlock.
/// </summary>
public interface IAuditedPrincipalReset
{
    /// <summary>
    /// As <see cref="IChallengeStore.ResetPrincipalAsync"/>, appending an <see cref="AuditOperation.Unlock"/> entry for the
    /// principal when (and only when) it answers <see langword="true"/>.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="audit">Who and when.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<bool> ResetPrincipalAsync(TenantId tenant, long principalId, AuditContext audit, CancellationToken cancellationToken);
}
