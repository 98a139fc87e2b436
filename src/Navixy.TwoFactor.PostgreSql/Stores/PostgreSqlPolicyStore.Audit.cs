using Navixy.TwoFactor.Stores.AuditTrail;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>The audit-trail parameters every audited write of the PostgreSQL stores binds (policy.md A2).</summary>
internal sealed partial class PostgreSqlPolicyStore
{
    /// <summary>The audit-trail parameters of a write that appends its entry (<c>@moment</c>, <c>@actor</c>).</summary>
    internal static void AddAudit(NpgsqlParameterCollection parameters, AuditContext audit)
    {
        parameters.Add(new NpgsqlParameter<long>("moment", audit.Moment.UtcTicks));
        parameters.Add(new NpgsqlParameter<string>("actor", audit.Actor.Name));
    }
}
