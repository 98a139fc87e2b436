using Navixy.TwoFactor.Policy;

// A deliberately wrong little layering, so that the checker is seen to fail: Policy reaches up into Settings, and
// Challenges into its sibling Settings. Nothing else uses these types.
#pragma warning disable CA1812, CA1822, IDE0051

namespace Navixy.TwoFactor.Tests.Architecture.Fixture.Settings
{
    internal sealed class SettingsError
    {
        public int Code { get; set; }
    }
}

namespace Navixy.TwoFactor.Tests.Architecture.Fixture.Policy
{
    internal sealed class Setting
    {
        public Fixture.Settings.SettingsError? Validate() => null;
    }

    internal sealed class Clean
    {
        public int Value { get; set; }
    }
}

namespace Navixy.TwoFactor.Tests.Architecture.Fixture.Challenges
{
    internal sealed class Sibling
    {
        private readonly Fixture.Settings.SettingsError _error = new();

        public int Code => _error.Code;
    }
}
