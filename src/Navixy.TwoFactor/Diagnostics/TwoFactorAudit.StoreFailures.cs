using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Diagnostics;

/// <summary>
/// The one rule for a store failure behind a public call (README "What done means"): any exception but the caller's own
/// cancellation is a failure; it is logged once (<see cref="TwoFactorLog.StoreFailed"/>: the operation and the tenant, never a
/// code, secret or token) and audited (<see cref="TwoFactorAuditEventKind.StoreFailed"/>), and the call answers its documented
/// failure result instead of throwing.
/// </summary>
internal sealed partial class TwoFactorAudit
{
    /// <summary>Whether <paramref name="exception"/> is a failure to answer with the call's failure result: anything but the caller's own cancellation.</summary>
    /// <param name="exception">What a store (or the resolver over one) threw.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public static bool IsStoreFailure(Exception exception, CancellationToken cancellationToken) =>
        !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);

    /// <summary>Logs a store failure once and raises <see cref="TwoFactorAuditEventKind.StoreFailed"/>.</summary>
    /// <param name="exception">What the store threw.</param>
    /// <param name="operation">The public operation, for the log, e.g. <c>remember period read</c>.</param>
    /// <param name="tenant">The tenant; <c>default</c> when the operation spans every tenant.</param>
    /// <param name="principalId">The principal, when there is one.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public ValueTask StoreFailedAsync(Exception exception, string operation, TenantId tenant, long? principalId, CancellationToken cancellationToken)
    {
        TwoFactorLog.StoreFailed(_logger, exception, operation, tenant.Value);
        return RaiseAsync(
            new TwoFactorAuditEvent { Kind = TwoFactorAuditEventKind.StoreFailed, Tenant = tenant, Timestamp = Time.GetUtcNow(), PrincipalId = principalId },
            cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="call"/>; when a store fails (<see cref="IsStoreFailure"/>), reports it (<see cref="StoreFailedAsync"/>)
    /// and answers <paramref name="failed"/>, the call's documented failure answer.
    /// </summary>
    /// <typeparam name="T">What the call answers.</typeparam>
    /// <param name="operation">The public operation, for the log.</param>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal, when there is one.</param>
    /// <param name="failed">The failure answer.</param>
    /// <param name="call">The work, over the caller's token.</param>
    /// <param name="cancellationToken">The caller's token: its own cancellation still throws.</param>
    public async ValueTask<T> GuardAsync<T>(string operation, TenantId tenant, long? principalId, T failed, Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsStoreFailure(exception, cancellationToken))
        {
            await StoreFailedAsync(exception, operation, tenant, principalId, cancellationToken).ConfigureAwait(false);
            return failed;
        }
    }
}
