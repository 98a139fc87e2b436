using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.AspNetCore.Sessions;

namespace Navixy.TwoFactor.AspNetCore.SecondStep;

/// <summary>The default <see cref="IPendingSecondStepStore"/>: a process-local table with the options' lifetime.</summary>
internal sealed class InMemoryPendingSecondStepStore(TimeProvider time, IOptions<TwoFactorHttpOptions> options) : IPendingSecondStepStore
{
    private readonly SessionHandleStore<PendingSecondStep> _steps = new(time);

    public string Create(PendingSecondStep secondStep) => _steps.Create(secondStep, options.Value.PendingLifetime);

    public bool TryGet(string handle, [NotNullWhen(true)] out PendingSecondStep? secondStep) => _steps.TryGet(handle, out secondStep);

    public bool TryReplace(string handle, PendingSecondStep expected, PendingSecondStep replacement) =>
        _steps.TryReplace(handle, expected, replacement);

    public bool TryComplete(string handle, [NotNullWhen(true)] out PendingSecondStep? secondStep) => _steps.TryTake(handle, out secondStep);

    public void Remove(string handle) => _steps.End(handle);
}
