using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;

namespace Navixy.TwoFactor.AspNetCore.Wire;

/// <summary>Turns the library's answers into Panel API errors.</summary>
internal static class SettingsWireErrors
{
    /// <summary>Error 201 for an id that is not an account of the session's dealer (another dealer's id included).</summary>
    /// <param name="id">The id asked about.</param>
    public static NavixyError NotFound(long id) =>
        new(NavixyErrorCode.NotFound, "Not found in the database: " + new SettingsError(SettingsErrorCode.NotFound, id).Description);

    /// <summary>
    /// A rejected update: error 201 when every reason is an id that is not an account of the dealer (unknown,
    /// another dealer's, or a sub-user); otherwise error 7. The description lists every reason the library gave.
    /// </summary>
    /// <param name="result">A rejected update.</param>
    public static NavixyError Rejected(SettingsUpdateResult result)
    {
        var reasons = string.Join(" ", result.Errors.Select(e => e.Description));
        return result.IsNotFound
            ? new NavixyError(NavixyErrorCode.NotFound, "Not found in the database: " + reasons)
            : NavixyError.Invalid(reasons);
    }
}
