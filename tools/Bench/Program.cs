// Hot-path micro-benchmarks of the engine (BenchmarkDotNet): dotnet run -c Release --project tools/Bench -- --filter '*'
using AscendAio.Bench;
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(ShortRunConfig).Assembly).Run(args, ShortRunConfig.Create());
