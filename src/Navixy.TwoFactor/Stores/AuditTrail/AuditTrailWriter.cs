using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.AuditTrail;

/// <summary>
/// What every service that changes state needs for the audit trail: the host's actor and the engine's time
/// (<see cref="Context"/>, handed to a store that writes the entry with its change), and appending the entry of a change a
/// store made without one.
/// </summary>
internal sealed class AuditTrailWriter(IAuditTrailStore store, ITwoFactorActorAccessor actors, TimeProvider time)
{
    /// <summary>Who acts now, and now.</summary>
    public AuditContext Context => new(actors.Actor, time.GetUtcNow());

    /// <summary>Appends the entry of an accepted change of a principal's second-step state.</summary>
    public ValueTask AppendAsync(TenantId tenant, AuditOperation operation, long principalId, FactorTypes factor, CancellationToken cancellationToken)
    {
        var context = Context;
        return store.AppendAsync(
            new AuditEntry { Tenant = tenant, Moment = context.Moment, Actor = context.Actor, Operation = operation, PrincipalId = principalId, Factor = factor },
            cancellationToken);
    }
}

/// <summary>The actor accessor registered by default: the host named no actor.</summary>
internal sealed class UnknownActorAccessor : ITwoFactorActorAccessor
{
    public TwoFactorActor Actor => TwoFactorActor.Unknown;
}
