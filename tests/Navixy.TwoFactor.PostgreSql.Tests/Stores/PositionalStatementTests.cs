using Navixy.TwoFactor.PostgreSql.Stores;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Tests.Stores;

/// <summary>
/// <see cref="PositionalStatement"/>: a statement written with named placeholders, sent with positional ones so Npgsql
/// does not parse it on every call. The rewrite must mean what Npgsql's own rewriting means.
/// </summary>
public sealed class PositionalStatementTests
{
    [Test]
    public void Rewrite_NumbersEachNameByFirstAppearance_AndReusesTheNumberOfARepeatedName()
    {
        var statement = PositionalStatement.Rewrite("SELECT @b, @a_1 WHERE x = @b AND y = @a_1 + @c");

        Assert.That(statement.Text, Is.EqualTo("SELECT $1, $2 WHERE x = $1 AND y = $2 + $3"));
        Assert.That(statement.Named, Is.EqualTo("SELECT @b, @a_1 WHERE x = @b AND y = @a_1 + @c"));
    }

    [Test]
    public void Rewrite_LeavesStringsIdentifiersCommentsDollarQuotesAndOperatorsAsTheyAre()
    {
        const string sql = """
            SELECT '@a''@b', "@c", $$ @d $$, $t$ @e $t$, j @> '{}', @@ x -- @f
            /* @g */ FROM t WHERE k = @h
            """;

        var statement = PositionalStatement.Rewrite(sql);

        Assert.That(statement.Text, Is.EqualTo(sql.Replace("@h", "$1", StringComparison.Ordinal)));
    }

    [Test]
    public void Bind_PutsTheNamedParametersInTheStatementsOrder_UnnamedAndWithoutTheOnesItDoesNotUse()
    {
        var statement = PositionalStatement.Rewrite("SELECT @second, @first, @second");
        using var command = new NpgsqlCommand(statement.Text);
        command.Parameters.Add(new NpgsqlParameter<int>("first", 1));
        command.Parameters.Add(new NpgsqlParameter<int>("unused", 3));
        command.Parameters.Add(new NpgsqlParameter<int>("second", 2));

        statement.Bind(command.Parameters);

        Assert.That(command.Parameters.Select(p => (p.ParameterName, p.Value)), Is.EqualTo(new[] { ("", (object?)2), ("", 1) }));
    }

    [Test]
    public void Bind_APlaceholderWithoutItsParameter_Throws()
    {
        var statement = PositionalStatement.Rewrite("SELECT @a, @b");
        using var command = new NpgsqlCommand(statement.Text);
        command.Parameters.Add(new NpgsqlParameter<int>("a", 1));

        Assert.That(() => statement.Bind(command.Parameters), Throws.InvalidOperationException.With.Message.Contains("b"));
    }
}
