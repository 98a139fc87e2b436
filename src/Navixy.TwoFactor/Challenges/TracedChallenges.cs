using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Challenges;

/// <summary>
/// The second step as hosts get it: <see cref="TwoFactorChallengeService"/> with a span and a duration measurement per
/// start, verify and resend (<see cref="TwoFactorTelemetry"/>). Tags name the outcome and factor, never the token, code or
/// principal.
/// </summary>
internal sealed class TracedChallenges(TwoFactorChallengeService inner, TwoFactorMetrics metrics, TimeProvider time) : ITwoFactorChallenges
{
    public ValueTask<ChallengeStartResult> StartAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        return StartCoreAsync(tenant, principalId, FactorTypes.None, cancellationToken);
    }

    public ValueTask<ChallengeStartResult> StartAsync(TenantId tenant, long principalId, string? deviceToken, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        return StartCoreAsync(tenant, principalId, FactorTypes.None, cancellationToken, deviceToken);
    }

    public ValueTask<ChallengeStartResult> StartWithFactorAsync(TenantId tenant, long principalId, FactorTypes factor, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        if (factor is not (FactorTypes.Email or FactorTypes.Totp))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "Ask for exactly one factor: FactorTypes.Email or FactorTypes.Totp.");
        }

        return StartCoreAsync(tenant, principalId, factor, cancellationToken);
    }

    public async ValueTask<ChallengeVerifyResult> VerifyAsync(TenantId tenant, string? token, string? code, CancellationToken cancellationToken = default)
    {
        using var operation = TwoFactorOperation.Start(metrics, time, "verify", TwoFactorTelemetry.VerifySpanName, tenant);
        try
        {
            var result = await inner.VerifyAsync(tenant, token, code, cancellationToken).ConfigureAwait(false);
            operation.Complete(SnakeCaseNames<ChallengeVerifyOutcome>.Of(result.Outcome), isError: result.Outcome == ChallengeVerifyOutcome.Failed);
            return result;
        }
        catch (Exception exception)
        {
            operation.Fail(exception);
            throw;
        }
    }

    public async ValueTask<ChallengeResendResult> ResendAsync(TenantId tenant, string? token, CancellationToken cancellationToken = default)
    {
        using var operation = TwoFactorOperation.Start(metrics, time, "resend", TwoFactorTelemetry.ResendSpanName, tenant);
        try
        {
            var result = await inner.ResendAsync(tenant, token, cancellationToken).ConfigureAwait(false);
            operation.Complete(SnakeCaseNames<ChallengeResendOutcome>.Of(result.Outcome), isError: result.Outcome == ChallengeResendOutcome.Failed);
            return result;
        }
        catch (Exception exception)
        {
            operation.Fail(exception);
            throw;
        }
    }

    private async ValueTask<ChallengeStartResult> StartCoreAsync(TenantId tenant, long principalId, FactorTypes factor, CancellationToken cancellationToken, string? deviceToken = null)
    {
        using var operation = TwoFactorOperation.Start(metrics, time, "start", TwoFactorTelemetry.StartSpanName, tenant);
        try
        {
            var result = factor == FactorTypes.None
                ? await inner.StartAsync(tenant, principalId, deviceToken, cancellationToken).ConfigureAwait(false)
                : await inner.StartWithFactorAsync(tenant, principalId, factor, cancellationToken).ConfigureAwait(false);
            operation.Complete(SnakeCaseNames<ChallengeStartOutcome>.Of(result.Outcome), result.Factor, result.Outcome == ChallengeStartOutcome.Failed);
            return result;
        }
        catch (Exception exception)
        {
            operation.Fail(exception);
            throw;
        }
    }
}
