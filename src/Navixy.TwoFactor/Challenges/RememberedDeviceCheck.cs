using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores.Devices;

namespace Navixy.TwoFactor.Challenges;

/// <summary>
/// Whether a start honours a presented device token (policy.md D2): one store call that checks the token against
/// <see cref="RememberedDeviceRule"/> with the settings stamp of the requirement just resolved and records its use. A token
/// not honoured (void, malformed, or naming a key the ring does not hold), or a store failure, is ignored and audited: the
/// start goes on as without it, never passed (fail closed).
/// </summary>
internal sealed class RememberedDeviceCheck(
    IRememberedDeviceStore store,
    DeviceTokenHasher hasher,
    TwoFactorAudit audit,
    TimeProvider time,
    ILoggerFactory? loggerFactory = null)
{
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(TwoFactorLog.Category);

    public async ValueTask<bool> HonoursAsync(TenantId tenant, long principalId, Requirement requirement, string deviceToken, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var honoured = false;
        // A token naming a key the ring does not hold has no hash: ignored like a void one, without a store call.
        if (DeviceTokenHasher.IsWellFormed(deviceToken) && hasher.TryHash(tenant, principalId, deviceToken, out var hash))
        {
            try
            {
                honoured = await store.TryUseAsync(tenant, hash, principalId, requirement.Explanation.SettingVersion, now, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (TwoFactorAudit.IsStoreFailure(exception, cancellationToken))
            {
                TwoFactorLog.StoreFailed(_logger, exception, "remembered device", tenant.Value);
            }
        }

        await audit.RaiseAsync(
            new TwoFactorAuditEvent
            {
                Kind = honoured ? TwoFactorAuditEventKind.RememberedDeviceAccepted : TwoFactorAuditEventKind.RememberedDeviceIgnored,
                Tenant = tenant,
                Timestamp = now,
                PrincipalId = principalId,
            },
            cancellationToken).ConfigureAwait(false);
        return honoured;
    }
}
