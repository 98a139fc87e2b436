namespace Navixy.TwoFactor.Administration;

/// <summary>What <see cref="ITwoFactorAdministration.UnlockAsync"/> did. The default is <see cref="Failed"/>.</summary>
public enum PrincipalUnlockOutcome
{
    /// <summary>A store failed; nothing is known to have changed. Retry: unlocking is idempotent.</summary>
    Failed = 0,

    /// <summary>The principal's failure count and lockout were cleared.</summary>
    Unlocked = 1,

    /// <summary>The principal had no failures and no lockout; nothing changed.</summary>
    NothingToUnlock = 2,
}
