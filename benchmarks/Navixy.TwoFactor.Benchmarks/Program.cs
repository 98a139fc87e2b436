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

BenchmarkSwitcher.FromTypes([.. types]).Run(args);
if (!args.Contains("--list", StringComparer.Ordinal))
{
    Footprint.Report(Console.Out);
}
