using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Navixy.TwoFactor.Benchmarks;

// Every comparison is a class with its baseline measured in the same run, so results read as ratios.
// `--filter '*'` runs everything; the memory footprint report follows the benchmarks.
var types = typeof(Footprint).Assembly.GetTypes()
    .Where(t => t.IsPublic && !t.IsAbstract && t.GetMethods().Any(m => m.IsDefined(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false)))
    .ToList();
if (PostgreSqlBench.ConnectionString is null)
{
    Console.WriteLine("PostgreSQL benchmarks skipped: set NAVIXY_TWOFACTOR_BENCH_PG (or NAVIXY_TWOFACTOR_TEST_PG) to an Npgsql connection string to run them.");
    types.RemoveAll(t => t.Name.StartsWith("PostgreSql", StringComparison.Ordinal));
}

if (args.Contains("--verify-split", StringComparer.Ordinal))
{
    // Not a BenchmarkDotNet run: where a PostgreSQL email verify's time goes (VerifySplit).
    if (PostgreSqlBench.ConnectionString is null)
    {
        Console.WriteLine("--verify-split needs NAVIXY_TWOFACTOR_BENCH_PG (or NAVIXY_TWOFACTOR_TEST_PG).");
        return;
    }

    VerifySplit.Run(Console.Out);
    return;
}

// A short job so the whole suite runs in reasonable time on a busy 2-core machine: one process per benchmark
// class, 3 warm-up and 15 measured iterations (a class may ask for more, as PostgreSQL update-all does).
var config = DefaultConfig.Instance.AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15).AsDefault());
BenchmarkSwitcher.FromTypes([.. types]).Run(args, config);
if (!args.Contains("--list", StringComparer.Ordinal))
{
    Footprint.Report(Console.Out);
}
