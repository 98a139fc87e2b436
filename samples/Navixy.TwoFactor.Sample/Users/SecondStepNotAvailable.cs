using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Sample.Users;

/// <summary>
/// Phase 1 of the sample: no second step is wired in yet, so a user who must pass one is refused. Failing
/// closed is the point: granting a full session here would let every required user skip 2FA.
/// </summary>
internal sealed class SecondStepNotAvailable : ISecondStep
{
    public ValueTask<SecondStepStart> BeginAsync(SampleUser user, Requirement requirement, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SecondStepStart.NotAvailable);
}
