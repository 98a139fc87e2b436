using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.PostgreSql.Stores;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Totp;
using Npgsql;

namespace Navixy.TwoFactor.Benchmarks;

/// <summary>
/// Where a PostgreSQL verify's time goes, at one caller: the same right email codes verified by the service, by the store
/// alone (the token hashed and the code digested beforehand), and by the store's statement sent raw with named and with
/// positional parameters, right authenticator codes verified by the service, and authenticator challenges started by the
/// service (the start path's two round trips), against the bare conditional update; each as wall time and this process's CPU time per
/// operation, rounds interleaved so the machine's load falls on every variant alike (medians over the rounds). With
/// pg_stat_statements installed it adds the server's executor and planner time per call of each statement. The data source
/// is the one <c>UsePostgreSql(connectionString)</c> builds, so with the package's defaults unless the string overrides them.
/// Run: <c>dotnet run -c Release --project benchmarks/Navixy.TwoFactor.Benchmarks -- --verify-split</c>.
/// </summary>
internal static class VerifySplit
{
    private const int Verifies = 256;
    private const int Rounds = 15;
    private static readonly TenantId Tenant = new(1_000_003);
    private static readonly TenantId AuthenticatorTenant = new(1_000_004);

    public static void Run(TextWriter output)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var db = new PostgreSqlThroughput(Verifies, services => services
            .AddSingleton<TimeProvider>(time)
            .AddSingleton<IEmailCodeSender, EmailChallengeBenchmarks.CapturingSender>()
            .Configure<TwoFactorOptions>(o =>
            {
                // Only the set-up's enrolments make recovery codes: the fewest, as cheaply as the options allow.
                o.Totp.RecoveryCodeCount = 1;
                o.Totp.RecoveryCodeIterations = TotpOptions.MinRecoveryCodeIterations;
            }));
        var dataSource = db.DataSource;
        var provider = db.Provider;
        var sender = (EmailChallengeBenchmarks.CapturingSender)provider.GetRequiredService<IEmailCodeSender>();
        var challenges = provider.GetRequiredService<ITwoFactorChallenges>();
        var store = provider.GetRequiredService<IChallengeStore>();
        var hasher = provider.GetRequiredService<ChallengeHasher>();
        var limits = ChallengeLimits.From(provider.GetRequiredService<IOptions<TwoFactorOptions>>().Value.Challenges);
        var directory = provider.GetRequiredService<ITwoFactorDirectory>();
        for (long id = 1; id <= Verifies; id++)
        {
            directory.RegisterAccountAsync(Tenant, id).AsTask().GetAwaiter().GetResult();
        }

        provider.GetRequiredService<ITwoFactorSettings>().EnforceForEveryoneAsync(Tenant, TwoFactorSetting.Allowed(FactorTypes.Email)).AsTask().GetAwaiter().GetResult();
        var (secrets, parameters) = Enrol(provider, time);
        var positional = new ChallengeStatements(PostgreSqlBench.Schema).Verify;
        var named = positional.Named;
        var pending = new (string Token, string Code, byte[] TokenHash, byte[] Digest)[Verifies];
        Action email = () => Prepare(db, challenges, sender, hasher, pending);
        Action authenticator = () =>
        {
            // A new time step, so no code is a replay of the last round's (T2).
            time.Advance(TimeSpan.FromSeconds(parameters.PeriodSeconds));
            db.ResetBaseline();
            for (var i = 0; i < Verifies; i++)
            {
                var started = challenges.StartAsync(AuthenticatorTenant, i + 1).AsTask().GetAwaiter().GetResult();
                pending[i] = (started.Token!, TotpCalculator.Compute(secrets[i], TotpCalculator.StepAt(time.GetUtcNow(), parameters.PeriodSeconds), parameters), [], []);
            }
        };
        var variants = new (string Name, Action Prepare, Func<int, Task<bool>> Operation)[]
        {
            ("bare conditional UPDATE … RETURNING", email, db.BareUpdateAsync),
            ("service VerifyAsync, email code", email, async i => (await challenges.VerifyAsync(Tenant, pending[i].Token, pending[i].Code)).Outcome == ChallengeVerifyOutcome.Passed),
            ("store VerifyAsync (hashes made beforehand)", email, async i =>
                (await store.VerifyAsync(Tenant, pending[i].TokenHash, pending[i].Digest, time.GetUtcNow(), limits, CancellationToken.None)).Outcome == ChallengeStoreOutcome.Passed),
            ("verify statement, raw, named parameters", email, i => Raw(dataSource, named, null, pending[i].TokenHash, pending[i].Digest, time.GetUtcNow(), limits)),
            ("verify statement, raw, positional parameters", email, i => Raw(dataSource, positional.Text, positional, pending[i].TokenHash, pending[i].Digest, time.GetUtcNow(), limits)),
            ("service VerifyAsync, authenticator code", authenticator, async i =>
                (await challenges.VerifyAsync(AuthenticatorTenant, pending[i].Token, pending[i].Code)).Outcome == ChallengeVerifyOutcome.Passed),
            ("service StartAsync, authenticator (resolve + create)", () => { }, async i =>
                (await challenges.StartAsync(AuthenticatorTenant, i + 1)).Factor == FactorTypes.Totp),
        };

        var wall = variants.Select(_ => new List<double>()).ToArray();
        var cpu = variants.Select(_ => new List<double>()).ToArray();
        var serverCpu = new double[variants.Length];
        var statsBefore = ServerStatistics(dataSource);
        var postmaster = Postmaster(dataSource);
        for (var round = -2; round < Rounds; round++)
        {
            for (var v = 0; v < variants.Length; v++)
            {
                variants[v].Prepare();
                var process = Process.GetCurrentProcess();
                var cpuBefore = process.TotalProcessorTime;
                var serverBefore = ServerProcessorTime(postmaster);
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < Verifies; i++)
                {
                    if (!variants[v].Operation(i).GetAwaiter().GetResult())
                    {
                        throw new InvalidOperationException($"{variants[v].Name}: operation {i} did not succeed.");
                    }
                }

                clock.Stop();
                process.Refresh();
                if (round >= 0)
                {
                    // Rounds below 0 warm up (JIT, prepared statements on every pooled connection).
                    wall[v].Add(clock.Elapsed.TotalMicroseconds / Verifies);
                    cpu[v].Add((process.TotalProcessorTime - cpuBefore).TotalMicroseconds / Verifies);
                    serverCpu[v] += (ServerProcessorTime(postmaster) - serverBefore).TotalMicroseconds / Verifies / Rounds;
                }
            }
        }

        output.WriteLine($"Verify split, 1 caller, {Rounds} rounds of {Verifies} right codes per variant (median per operation; CPU = this process, user + system):");
        for (var v = 0; v < variants.Length; v++)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {variants[v].Name,-48} wall {Median(wall[v]),7:F1} µs  client CPU {Median(cpu[v]),6:F1} µs  server CPU {serverCpu[v],6:F1} µs  (wall p25–p75 {Quantile(wall[v], 0.25):F1}–{Quantile(wall[v], 0.75):F1})"));
        }

        var statsAfter = ServerStatistics(dataSource);
        foreach (var (query, (calls, exec, plan)) in statsAfter)
        {
            var (callsBefore, execBefore, planBefore) = statsBefore.GetValueOrDefault(query);
            if (calls - callsBefore >= Verifies)
            {
                var n = calls - callsBefore;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  server: {n,6} calls, executor {(exec - execBefore) * 1000 / n,6:F1} µs, planner {(plan - planBefore) * 1000 / n,6:F1} µs per call: {query}"));
            }
        }
    }

    /// <summary>Principals of <see cref="AuthenticatorTenant"/> enrolled with an authenticator whose secrets are kept, then required to use it.</summary>
    private static (byte[][] Secrets, TotpParameters Parameters) Enrol(ServiceProvider provider, FakeTimeProvider time)
    {
        var directory = provider.GetRequiredService<ITwoFactorDirectory>();
        var enrollment = provider.GetRequiredService<ITotpEnrollment>();
        var settings = provider.GetRequiredService<ITwoFactorSettings>();
        settings.EnforceForEveryoneAsync(AuthenticatorTenant, TwoFactorSetting.Disallowed).AsTask().GetAwaiter().GetResult();
        var secrets = new byte[Verifies][];
        var parameters = TotpParameters.Default;
        for (long id = 1; id <= Verifies; id++)
        {
            directory.RemoveAsync(AuthenticatorTenant, id).AsTask().GetAwaiter().GetResult();
            directory.RegisterAccountAsync(AuthenticatorTenant, id).AsTask().GetAwaiter().GetResult();
            var begun = enrollment.BeginAsync(AuthenticatorTenant, id, "Benchmarks", $"user{id}").AsTask().GetAwaiter().GetResult();
            secrets[id - 1] = OtpNet.Base32Encoding.ToBytes(begun.Secret ?? throw new InvalidOperationException(begun.ToString()));
            parameters = begun.Parameters;
            var code = TotpCalculator.Compute(secrets[id - 1], TotpCalculator.StepAt(time.GetUtcNow(), parameters.PeriodSeconds), parameters);
            if (!enrollment.ConfirmAsync(AuthenticatorTenant, id, code).AsTask().GetAwaiter().GetResult().Succeeded)
            {
                throw new InvalidOperationException("An enrolment was not confirmed.");
            }
        }

        settings.EnforceForEveryoneAsync(AuthenticatorTenant, TwoFactorSetting.Allowed(FactorTypes.Totp)).AsTask().GetAwaiter().GetResult();
        return (secrets, parameters);
    }

    private static async Task<bool> Raw(NpgsqlDataSource dataSource, string sql, PositionalStatement? positional, byte[] tokenHash, byte[] digest, DateTimeOffset now, ChallengeLimits limits)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<long>("tenant", Tenant.Value));
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("token", tokenHash));
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("digest", digest));
        command.Parameters.Add(new NpgsqlParameter<int>("max_attempts", limits.MaxAttempts));
        command.Parameters.Add(new NpgsqlParameter<long>("now", now.UtcTicks));
        command.Parameters.Add(new NpgsqlParameter<int>("threshold", limits.LockoutThreshold));
        command.Parameters.Add(new NpgsqlParameter<long>("duration", limits.LockoutDuration.Ticks));
        command.Parameters.Add(new NpgsqlParameter<int>("max_failures", limits.MaxConsecutiveFailures));
        positional?.Bind(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() && reader.GetInt32(0) == (int)ChallengeStoreOutcome.Passed;
    }

    /// <summary>Fresh challenges for every principal (the last round's are deleted, so no start waits out the send cooldown).</summary>
    private static void Prepare(PostgreSqlThroughput db, ITwoFactorChallenges challenges, EmailChallengeBenchmarks.CapturingSender sender, ChallengeHasher hasher, (string, string, byte[], byte[])[] pending)
    {
        db.Execute($"DELETE FROM {PostgreSqlBench.Schema}.challenges WHERE tenant_id = {Tenant.Value}; DELETE FROM {PostgreSqlBench.Schema}.principal_lockouts WHERE tenant_id = {Tenant.Value}");
        db.ResetBaseline();
        for (var i = 0; i < pending.Length; i++)
        {
            var started = challenges.StartAsync(Tenant, i + 1).AsTask().GetAwaiter().GetResult();
            var token = started.Token ?? throw new InvalidOperationException(started.ToString());
            var tokenHash = hasher.HashToken(token);
            pending[i] = (token, sender.LastCode!, tokenHash, hasher.DigestCode(token, tokenHash, sender.LastCode!));
        }
    }

    /// <summary>pg_stat_statements' totals (ms) by query text; empty when the extension is not installed.</summary>
    private static Dictionary<string, (long Calls, double Exec, double Plan)> ServerStatistics(NpgsqlDataSource dataSource)
    {
        var statistics = new Dictionary<string, (long, double, double)>();
        try
        {
            // Labelled by the CTE that tells the verify path's statements apart (they all open alike), else by their start.
            using var command = dataSource.CreateCommand("""
                SELECT CASE WHEN query LIKE '%spent AS%' THEN 'email verify statement'
                            WHEN query LIKE '%reserved AS%' THEN 'reserve (authenticator, with the enrolment read in its batch)'
                            WHEN query LIKE '%settled AS%' THEN 'settle (authenticator)'
                            WHEN query LIKE '%revoked AS%' THEN 'create (start, after the lock statement in its batch)'
                            ELSE left(regexp_replace(query, '\s+', ' ', 'g'), 70) END,
                       calls, total_exec_time, total_plan_time
                FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                """);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var key = reader.GetString(0);
                var (calls, exec, plan) = statistics.GetValueOrDefault(key);
                statistics[key] = (calls + reader.GetInt64(1), exec + reader.GetDouble(2), plan + reader.GetDouble(3));
            }
        }
        catch (PostgresException)
        {
            // No pg_stat_statements: client-side figures only.
        }

        return statistics;
    }

    /// <summary>
    /// CPU time (user + system) of the server's processes (the postmaster and its children, found through a backend's
    /// parent in /proc; zero when the server runs elsewhere): 10 ms resolution, so only the sum over all rounds means something.
    /// </summary>
    private static TimeSpan ServerProcessorTime(int postmaster)
    {
        long ticks = 0;
        foreach (var directory in postmaster > 0 ? Directory.EnumerateDirectories("/proc") : [])
        {
            if (int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid) && Stat(pid) is { } stat
                && (pid == postmaster || stat.Parent == postmaster))
            {
                ticks += stat.Ticks;
            }
        }

        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    /// <summary>The postmaster's process id when the server runs on this machine, else 0.</summary>
    private static int Postmaster(NpgsqlDataSource dataSource)
    {
        using var command = dataSource.CreateCommand("SELECT pg_backend_pid()");
        var backend = (int)command.ExecuteScalar()!;
        return OperatingSystem.IsLinux() && Stat(backend) is { } stat ? stat.Parent : 0;
    }

    /// <summary>A process's parent and CPU ticks (utime + stime) from /proc/[pid]/stat; null when it is gone or unreadable.</summary>
    private static (int Parent, long Ticks)? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double Median(List<double> values) => Quantile(values, 0.5);

    private static double Quantile(List<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = (int)Math.Ceiling(position);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }
}
