using Navixy.TwoFactor.Cryptography;

namespace Navixy.TwoFactor.Stores;

/// <summary>How the engine settles an attempt it reserved with <see cref="IChallengeStore.ReserveAsync"/>.</summary>
public enum ChallengeSettlementKind
{
    /// <summary>Nothing was evaluated (the proof could not be read): the reservation is released and counts as nothing.</summary>
    Release = 0,

    /// <summary>The proof was wrong: one failure of the principal, and the lockout it earns.</summary>
    WrongCode = 1,

    /// <summary>The proof was right and spends nothing else (an enrolment confirmation): the challenge is passed.</summary>
    Pass = 2,

    /// <summary>An authenticator code matched a time step: the step is spent and the challenge passed, in one atomic step.</summary>
    PassWithTimeStep = 3,

    /// <summary>A recovery code matched: it is marked used and the challenge passed, in one atomic step.</summary>
    PassWithRecoveryCode = 4,
}

/// <summary>
/// The engine's verdict on a reserved attempt, handed to <see cref="IChallengeStore.SettleAsync"/>. The store applies
/// it atomically: a pass spends its proof (time step or recovery code) and consumes the challenge together, or neither.
/// </summary>
public readonly record struct ChallengeSettlement
{
    private ChallengeSettlement(ChallengeSettlementKind kind, byte[]? activeSecret = null, long timeStep = 0, RecoveryCodeHash? recoveryCode = null)
    {
        Kind = kind;
        ActiveSecret = activeSecret;
        TimeStep = timeStep;
        RecoveryCode = recoveryCode;
    }

    /// <summary>What to do.</summary>
    public ChallengeSettlementKind Kind { get; }

    /// <summary>
    /// <see cref="ChallengeSettlementKind.PassWithTimeStep"/>: the protected active secret the code was checked against;
    /// the step is spent only while it is still the principal's active secret.
    /// </summary>
    public byte[]? ActiveSecret { get; }

    /// <summary><see cref="ChallengeSettlementKind.PassWithTimeStep"/>: the matched step; spent only if later than the last accepted one.</summary>
    public long TimeStep { get; }

    /// <summary><see cref="ChallengeSettlementKind.PassWithRecoveryCode"/>: the stored code that matched; spent only if still unused.</summary>
    public RecoveryCodeHash? RecoveryCode { get; }

    /// <summary>Releases the reservation; counts nothing.</summary>
    public static ChallengeSettlement Release => new(ChallengeSettlementKind.Release);

    /// <summary>A wrong proof.</summary>
    public static ChallengeSettlement WrongCode => new(ChallengeSettlementKind.WrongCode);

    /// <summary>A right proof that spends nothing else.</summary>
    public static ChallengeSettlement Pass => new(ChallengeSettlementKind.Pass);

    /// <summary>A right authenticator code.</summary>
    /// <param name="activeSecret">The protected secret it was checked against.</param>
    /// <param name="timeStep">The step it matched.</param>
    public static ChallengeSettlement PassWithTimeStep(byte[] activeSecret, long timeStep)
    {
        ArgumentNullException.ThrowIfNull(activeSecret);
        return new(ChallengeSettlementKind.PassWithTimeStep, activeSecret, timeStep);
    }

    /// <summary>A right recovery code.</summary>
    /// <param name="code">The stored code it matched.</param>
    public static ChallengeSettlement PassWithRecoveryCode(RecoveryCodeHash code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return new(ChallengeSettlementKind.PassWithRecoveryCode, recoveryCode: code);
    }

    /// <summary>Whether this settlement passes the challenge when its proof can still be spent.</summary>
    public bool IsPass => Kind is ChallengeSettlementKind.Pass or ChallengeSettlementKind.PassWithTimeStep or ChallengeSettlementKind.PassWithRecoveryCode;

    /// <inheritdoc/>
    public override string ToString() => Kind.ToString();
}
