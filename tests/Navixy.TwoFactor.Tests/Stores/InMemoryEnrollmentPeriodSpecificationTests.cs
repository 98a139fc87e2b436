using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Specification;

namespace Navixy.TwoFactor.Tests.Stores;

/// <summary>The in-memory default stores held to the shared enrolment-period specification (policy.md G1).</summary>
[TestFixture]
public sealed class InMemoryEnrollmentPeriodSpecificationTests : EnrollmentPeriodSpecification
{
    /// <summary>The in-memory stores, chosen by name (the specification configures key material).</summary>
    protected override void ConfigureStores(TwoFactorBuilder builder)
    {
        builder.UseInMemoryStores();
    }
}
