using System.Text;
using Navixy.TwoFactor.Sample.Seeding;

namespace Navixy.TwoFactor.Sample.Tests.Panel;

/// <summary>Everything the Panel API can read, for both dealers, as one string: to prove an error changed nothing.</summary>
internal static class SettingsSnapshot
{
    public static async Task<string> TakeAsync(SampleServer server)
    {
        var text = new StringBuilder();
        foreach (var dealer in SeedData.Dealers)
        {
            var hash = await server.PanelHashAsync(dealer.PanelLogins[0].Login);
            var defaults = await server.PostAsync("panel/user/mfa/settings/default/read", new { }, hash);
            text.Append(dealer.Id).Append(" default ").AppendLine(defaults.Value);
            foreach (var account in dealer.Accounts)
            {
                var read = await server.PostAsync("panel/user/mfa/settings/read", new { user_id = account.Id }, hash);
                text.Append(dealer.Id).Append(' ').Append(account.Id).Append(' ').AppendLine(read.Value);
            }
        }

        return text.ToString();
    }
}
