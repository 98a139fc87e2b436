using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Specification;

namespace Navixy.TwoFactor.Tests.Stores;

/// <summary>The in-memory default stores held to the shared audit-trail specification (policy.md A1–A3).</summary>
[TestFixture]
public sealed class InMemoryAuditTrailSpecificationTests : AuditTrailSpecification
{
    /// <summary>The in-memory stores are the defaults: nothing to register.</summary>
    protected override void ConfigureStores(TwoFactorBuilder builder)
    {
    }
}
