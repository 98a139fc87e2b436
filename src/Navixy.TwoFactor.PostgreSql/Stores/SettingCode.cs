using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>How a setting is stored: one integer, 0 for Disallowed, otherwise the factor-type bits of Allowed(factors).</summary>
internal static class SettingCode
{
    public static int From(TwoFactorSetting setting) => setting.IsAllowed ? (int)setting.Factors : 0;

    public static TwoFactorSetting To(int code) => code == 0 ? TwoFactorSetting.Disallowed : TwoFactorSetting.Allowed((FactorTypes)code);
}
