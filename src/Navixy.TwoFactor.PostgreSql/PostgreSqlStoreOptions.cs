using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Navixy.TwoFactor.PostgreSql;

/// <summary>Options of the PostgreSQL stores. Validated when the host starts (<c>ValidateOnStart</c>).</summary>
public sealed partial class PostgreSqlStoreOptions
{
    /// <summary>The default of <see cref="Schema"/>.</summary>
    public const string DefaultSchema = "navixy_twofactor";

    /// <summary>The longest schema name PostgreSQL keeps without truncating it (63 bytes).</summary>
    public const int MaxSchemaLength = 63;

    /// <summary>
    /// The PostgreSQL schema that holds the engine's tables; the migration creates it. Default
    /// <c>navixy_twofactor</c>. It must be a plain lower-case identifier: a letter or underscore, then letters,
    /// digits or underscores, 1 to 63 characters, not starting with <c>pg_</c>. Give each engine that shares a
    /// database its own schema.
    /// </summary>
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>Whether <paramref name="schema"/> is a name <see cref="Schema"/> accepts.</summary>
    /// <param name="schema">The name to check.</param>
    internal static bool IsValidSchema(string? schema) =>
        schema is { Length: > 0 and <= MaxSchemaLength }
        && SchemaPattern().IsMatch(schema)
        && !schema.StartsWith("pg_", StringComparison.Ordinal);

    [GeneratedRegex("^[a-z_][a-z0-9_]*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SchemaPattern();
}

/// <summary>Validates <see cref="PostgreSqlStoreOptions"/>.</summary>
internal sealed class PostgreSqlStoreOptionsValidator : IValidateOptions<PostgreSqlStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return PostgreSqlStoreOptions.IsValidSchema(options.Schema)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{nameof(PostgreSqlStoreOptions.Schema)} must be a lower-case identifier of 1 to {PostgreSqlStoreOptions.MaxSchemaLength} characters " +
                "(a letter or underscore, then letters, digits or underscores) that does not start with pg_.");
    }
}
