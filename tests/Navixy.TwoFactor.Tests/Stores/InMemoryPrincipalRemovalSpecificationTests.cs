using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Specification;

namespace Navixy.TwoFactor.Tests.Stores;

/// <summary>The in-memory default stores held to the shared principal removal specification (policy.md C10).</summary>
[TestFixture]
public sealed class InMemoryPrincipalRemovalSpecificationTests : PrincipalRemovalSpecification
{
    /// <summary>The in-memory stores, chosen by name (they are also the defaults).</summary>
    protected override void ConfigureStores(TwoFactorBuilder builder)
    {
        builder.UseInMemoryStores();
    }
}
