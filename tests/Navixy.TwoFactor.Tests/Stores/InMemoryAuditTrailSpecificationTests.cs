using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Specification;

namespace Navixy.TwoFactor.Tests.Stores;

/// <summary>The in-memory default stores held to the shared audit-trail specification (policy.md A1–A3).</summary>
[TestFixture]
public sealed class InMemoryAuditTrailSpecificationTests : AuditTrailSpecification
{
    /// <summary>The in-memory stores, chosen by name (the specification configures key material).</summary>
    protected override void ConfigureStores(TwoFactorBuilder builder)
    {
        builder.UseInMemoryStores();
    }
}
