using System.Text;
using Npgsql;

namespace Navixy.TwoFactor.PostgreSql.Stores;

/// <summary>
/// A statement written with named placeholders (<c>@tenant</c>), rewritten once into PostgreSQL's positional ones
/// (<c>$1</c>, …) with the names in their order. Npgsql sends a command whose parameters are positional as it is; one
/// with named parameters it parses and rewrites on every execution, which for the second step's long statements costs
/// more client time than the server spends on them (docs/benchmarks.md, run E).
/// </summary>
internal sealed class PositionalStatement
{
    private readonly string[] _names;

    private PositionalStatement(string named, string text, string[] names)
    {
        Named = named;
        Text = text;
        _names = names;
    }

    /// <summary>The statement as written, with named placeholders.</summary>
    public string Named { get; }

    /// <summary>The statement with <c>$1</c>, <c>$2</c>, … in place of its named placeholders.</summary>
    public string Text { get; }

    /// <summary>
    /// Rewrites <paramref name="sql"/>: each distinct <c>@name</c> becomes <c>$n</c>, numbered by first appearance. Quoted
    /// strings and identifiers, dollar-quoted strings and comments are left as they are, as Npgsql's own rewriting does.
    /// </summary>
    /// <param name="sql">The statement with named placeholders.</param>
    public static PositionalStatement Rewrite(string sql)
    {
        var names = new List<string>();
        var text = new StringBuilder(sql.Length);
        for (var i = 0; i < sql.Length;)
        {
            var c = sql[i];
            var skip = c switch
            {
                '\'' or '"' => Quoted(sql, i, c),
                '-' when At(sql, i + 1, '-') => sql.IndexOf('\n', i) is var end and >= 0 ? end : sql.Length,
                '/' when At(sql, i + 1, '*') => sql.IndexOf("*/", i + 2, StringComparison.Ordinal) is var end and >= 0 ? end + 2 : sql.Length,
                '$' => DollarQuoted(sql, i),
                _ => i,
            };
            if (skip > i)
            {
                text.Append(sql, i, skip - i);
                i = skip;
                continue;
            }

            if (c == '@' && i + 1 < sql.Length && (char.IsAsciiLetter(sql[i + 1]) || sql[i + 1] == '_'))
            {
                var end = i + 1;
                while (end < sql.Length && (char.IsAsciiLetterOrDigit(sql[end]) || sql[end] == '_'))
                {
                    end++;
                }

                var name = sql[(i + 1)..end];
                var index = names.IndexOf(name);
                if (index < 0)
                {
                    names.Add(name);
                    index = names.Count - 1;
                }

                text.Append('$').Append(index + 1);
                i = end;
                continue;
            }

            text.Append(c);
            i++;
        }

        return new PositionalStatement(sql, text.ToString(), [.. names]);
    }

    /// <summary>
    /// Puts the named parameters a store added into the statement's positional order, unnamed. Every placeholder must have
    /// its parameter; parameters the statement does not use are dropped (PostgreSQL refuses a bind with more values).
    /// </summary>
    /// <param name="parameters">The command's parameters, added by name.</param>
    /// <exception cref="InvalidOperationException">A placeholder of the statement has no parameter.</exception>
    public void Bind(NpgsqlParameterCollection parameters)
    {
        var named = new NpgsqlParameter[parameters.Count];
        parameters.CopyTo(named, 0);
        parameters.Clear();
        foreach (var name in _names)
        {
            var parameter = Array.Find(named, p => p.ParameterName == name)
                ?? throw new InvalidOperationException($"The statement needs a parameter named {name}.");
            parameter.ParameterName = string.Empty;
            parameters.Add(parameter);
        }
    }

    /// <summary>A dollar quote's tag: empty, or a letter or underscore followed by letters, digits and underscores.</summary>
    private static bool IsTag(ReadOnlySpan<char> tag)
    {
        for (var i = 0; i < tag.Length; i++)
        {
            if (!(char.IsAsciiLetter(tag[i]) || tag[i] == '_' || (i > 0 && char.IsAsciiDigit(tag[i]))))
            {
                return false;
            }
        }

        return true;
    }

    private static bool At(string sql, int i, char c) => i < sql.Length && sql[i] == c;

    /// <summary>Where a '…' string or "…" identifier that starts at <paramref name="start"/> ends (a doubled quote stays inside).</summary>
    private static int Quoted(string sql, int start, char quote)
    {
        for (var i = start + 1; i < sql.Length; i++)
        {
            if (sql[i] == quote)
            {
                if (!At(sql, i + 1, quote))
                {
                    return i + 1;
                }

                i++;
            }
        }

        return sql.Length;
    }

    /// <summary>Where a <c>$tag$…$tag$</c> string that starts at <paramref name="start"/> ends; <paramref name="start"/> when none starts there.</summary>
    private static int DollarQuoted(string sql, int start)
    {
        var close = sql.IndexOf('$', start + 1);
        if (close < 0 || !IsTag(sql.AsSpan(start + 1, close - start - 1)))
        {
            return start;
        }

        var tag = sql[start..(close + 1)];
        var end = sql.IndexOf(tag, close + 1, StringComparison.Ordinal);
        return end < 0 ? sql.Length : end + tag.Length;
    }
}
