using System.Diagnostics.CodeAnalysis;

namespace Navixy.TwoFactor.AspNetCore.SecondStep;

/// <summary>
/// The restricted handles of second steps in progress. The default keeps them in memory for
/// <see cref="TwoFactorHttpOptions.PendingLifetime"/>; a backend with several nodes registers a shared one. Stores keep
/// only a digest of each handle. A handle is one-time: <see cref="TryComplete"/> hands it over at most once.
/// </summary>
public interface IPendingSecondStepStore
{
    /// <summary>Records a step and answers its restricted handle (32 lowercase hex digits), to be given to the client once.</summary>
    /// <param name="secondStep">The step.</param>
    string Create(PendingSecondStep secondStep);

    /// <summary>Finds a live step.</summary>
    /// <param name="handle">A well-formed handle.</param>
    /// <param name="secondStep">The step when found.</param>
    bool TryGet(string handle, [NotNullWhen(true)] out PendingSecondStep? secondStep);

    /// <summary>
    /// Replaces a live step (its challenge after a factor switch), keeping its handle and expiry. Atomic: succeeds only
    /// while the handle still holds exactly <paramref name="expected"/>.
    /// </summary>
    /// <param name="handle">The handle.</param>
    /// <param name="expected">The step as read.</param>
    /// <param name="replacement">The step from now on.</param>
    bool TryReplace(string handle, PendingSecondStep expected, PendingSecondStep replacement);

    /// <summary>Ends a live step and hands it over. Atomic: of concurrent calls with one handle, at most one gets it.</summary>
    /// <param name="handle">The handle.</param>
    /// <param name="secondStep">The step when this call ended it.</param>
    bool TryComplete(string handle, [NotNullWhen(true)] out PendingSecondStep? secondStep);

    /// <summary>Ends a step; no-op when there is none.</summary>
    /// <param name="handle">The handle.</param>
    void Remove(string handle);
}
