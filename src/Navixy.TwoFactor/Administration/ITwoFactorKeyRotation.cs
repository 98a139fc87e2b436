using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Administration;

/// <summary>
/// Moves stored authenticator secrets to the primary key of the key ring (security.md item 36), so that an old key can
/// then be removed from <see cref="TwoFactorOptions.Keys"/>. See the README's "Rotating a key" for the whole procedure.
/// </summary>
public interface ITwoFactorKeyRotation
{
    /// <summary>
    /// Re-wraps every active authenticator secret not protected with the primary key, page by page
    /// (<see cref="KeyRewrapResult.DefaultBatchSize"/> per page), each by compare-and-swap so that logins go on meanwhile.
    /// A secret that cannot be read (its key is not in the ring, or it fails authentication) is left as it is, logged and
    /// audited (<c>TotpSecretUnreadable</c>). Pending enrolments are not moved: they expire within the pending lifetime.
    /// Safe to run again, and on several nodes at once.
    /// </summary>
    /// <param name="tenant">One tenant, or <see langword="null"/> for every tenant.</param>
    /// <param name="batchSize">Secrets per page, 1 to 10,000.</param>
    /// <param name="cancellationToken">Stops between secrets; what was re-wrapped stays re-wrapped.</param>
    /// <returns>What was done; <see cref="KeyRewrapOutcome.Failed"/> when a store call failed (run it again).</returns>
    ValueTask<KeyRewrapResult> RewrapSecretsAsync(TenantId? tenant = null, int batchSize = KeyRewrapResult.DefaultBatchSize, CancellationToken cancellationToken = default);
}

/// <summary>How a re-wrap ended.</summary>
public enum KeyRewrapOutcome
{
    /// <summary>A store call failed part way; what was re-wrapped stays so. The default.</summary>
    Failed = 0,

    /// <summary>Every active secret was examined.</summary>
    Completed = 1,

    /// <summary>The registered enrolment store does not implement <see cref="Stores.ITotpSecretRewrapStore"/>.</summary>
    NotSupported = 2,
}

/// <summary>The answer of <see cref="ITwoFactorKeyRotation.RewrapSecretsAsync"/>. Its default is a failure.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Examined">Active secrets read.</param>
/// <param name="Rewrapped">Secrets moved to the primary key.</param>
/// <param name="Unreadable">Secrets that could not be decrypted (unknown key or tampered); left as they were.</param>
/// <param name="Changed">Secrets replaced, reset or removed between reading and re-wrapping (nothing to do for them).</param>
public readonly record struct KeyRewrapResult(KeyRewrapOutcome Outcome, long Examined, long Rewrapped, long Unreadable, long Changed)
{
    /// <summary>The default page size: 500.</summary>
    public const int DefaultBatchSize = 500;

    /// <summary>The largest page size: 10,000.</summary>
    public const int MaxBatchSize = 10_000;

    /// <summary>Whether every active secret was examined.</summary>
    public bool IsCompleted => Outcome == KeyRewrapOutcome.Completed;
}
