using BenchmarkDotNet.Running;
using Navixy.TwoFactor.Benchmarks;

// Every comparison is a class with its baseline measured in the same run, so results read as ratios.
// `--filter '*'` runs everything; the memory footprint report follows the benchmarks.
BenchmarkSwitcher.FromAssembly(typeof(Footprint).Assembly).Run(args);
if (!args.Contains("--list", StringComparer.Ordinal))
{
    Footprint.Report(Console.Out);
}
