using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>What the settings writes share: their audit-trail parameters and how they read a rejection.</summary>
internal sealed partial class PostgreSqlPolicyStore
{
    /// <summary>The audit-trail parameters of a write that appends its entry (<c>@moment</c>, <c>@actor</c>).</summary>
    internal static void AddAudit(NpgsqlParameterCollection parameters, AuditContext audit)
    {
        parameters.Add(new NpgsqlParameter<long>("moment", audit.Moment.UtcTicks));
        parameters.Add(new NpgsqlParameter<string>("actor", audit.Actor.Name));
    }

    /// <summary>
    /// The ids an update of selected accounts rejects (S8), from its answer's first two columns (the ids and their codes: 1
    /// for an id that is not registered, else not an account); <see langword="null"/> when the update was accepted.
    /// </summary>
    private static SettingsError[]? Rejections(NpgsqlDataReader reader)
    {
        if (reader.IsDBNull(0))
        {
            return null;
        }

        var badIds = reader.GetFieldValue<long[]>(0);
        var badCodes = reader.GetFieldValue<int[]>(1);
        var errors = new SettingsError[badIds.Length];
        for (var i = 0; i < errors.Length; i++)
        {
            errors[i] = new SettingsError(badCodes[i] == 1 ? SettingsErrorCode.NotFound : SettingsErrorCode.NotAnAccount, badIds[i]);
        }

        return errors;
    }
}
