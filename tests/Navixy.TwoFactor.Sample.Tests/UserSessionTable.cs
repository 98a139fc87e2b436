using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.AspNetCore;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.SecondStep;
using Navixy.TwoFactor.AspNetCore.Sessions;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Sample.Tests;

/// <summary>
/// The sample's user sessions as the tests look at them: its full sessions, and the package's restricted ones, which the
/// tests keep in their own <see cref="IPendingSecondStepStore"/> (registered first, so it wins over the default) to count them.
/// </summary>
internal sealed class UserSessionTable(IServiceProvider services)
{
    private SessionHandleStore<TwoFactorUser> Full => services.GetRequiredService<SessionHandleStore<TwoFactorUser>>();

    private CountingPendingStore Pending => (CountingPendingStore)services.GetRequiredService<IPendingSecondStepStore>();

    /// <summary>Full and restricted sessions held.</summary>
    public int Count => Full.Count + Pending.Count;

    public bool TryGetFull(string hash, [NotNullWhen(true)] out TwoFactorUser? user) => Full.TryGet(hash, out user);

    public bool TryGetPending(string hash, [NotNullWhen(true)] out PendingSecondStep? step) => Pending.TryGet(hash, out step);

    /// <summary>A restricted session holding <paramref name="challengeToken"/>, as if user/auth had started it.</summary>
    public string StartPending(TenantId dealer, long userId, string factorType, string challengeToken)
    {
        Assert.That(FactorTypesExtensions.TryParseWireName(factorType, out var factor), Is.True);
        return Pending.Create(new PendingSecondStep(new TwoFactorUser(dealer, userId, "user " + userId), factor, challengeToken));
    }
}

/// <summary>An in-memory <see cref="IPendingSecondStepStore"/> that can say how many steps it holds.</summary>
internal sealed class CountingPendingStore(TimeProvider time, IOptions<TwoFactorHttpOptions> options) : IPendingSecondStepStore
{
    private readonly SessionHandleStore<PendingSecondStep> _steps = new(time);

    public int Count => _steps.Count;

    public string Create(PendingSecondStep secondStep) => _steps.Create(secondStep, options.Value.PendingLifetime);

    public bool TryGet(string handle, [NotNullWhen(true)] out PendingSecondStep? secondStep) => _steps.TryGet(handle, out secondStep);

    public bool TryReplace(string handle, PendingSecondStep expected, PendingSecondStep replacement) => _steps.TryReplace(handle, expected, replacement);

    public bool TryComplete(string handle, [NotNullWhen(true)] out PendingSecondStep? secondStep) => _steps.TryTake(handle, out secondStep);

    public void Remove(string handle) => _steps.End(handle);
}
