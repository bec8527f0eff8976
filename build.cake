// AscendAio build: restore → native CPU device (CMake) → bindings drift check → build → test / run.
// Invoked through ./build.sh (`./build.sh test`, `./build.sh run`); targets are case-insensitive.
using System.Xml.Linq;

var target = Argument("target", "Build");
var configuration = Argument("configuration", "Release");
var runArgs = Argument("args", "");

var root = MakeAbsolute(Directory("."));
var artifacts = root.Combine("artifacts");
var bin = artifacts.Combine("bin");
var nativeBuild = artifacts.Combine("obj/acl-cpu");
var testResults = artifacts.Combine("test-results");
// ONNX Runtime's version is stated once, in Directory.Packages.props; the native build finds that package.
var OrtVersion = System.Xml.Linq.XDocument.Load(root.CombineWithFilePath("Directory.Packages.props").FullPath)
    .Descendants("PackageVersion").Single(p => (string)p.Attribute("Include") == "Microsoft.ML.OnnxRuntime")
    .Attribute("Version").Value;
const string BatchGears = "1,2,4,8";   // decode/verify batch gears of the shipped bundles: aio serve batches up to 8 rows per call
const int BundleFormatVersion = 2;   // engine/Bundles/BundleManifest.CurrentFormatVersion

Task("Clean").Does(() =>
{
    CleanDirectory(artifacts);
});

Task("Restore").Does(() =>
{
    DotNetRestore("AscendAio.sln");
});

Task("Native")
    .Description("Builds libacl_cpu.so (the CPU device) with CMake against the restored ONNX Runtime package.")
    .IsDependentOn("Restore")
    .Does(() =>
{
    var ortRoot = NuGetPackageRoot().Combine($"microsoft.ml.onnxruntime/{OrtVersion}");
    if (!DirectoryExists(ortRoot))
        throw new Exception($"ONNX Runtime package not found at {ortRoot}; `dotnet restore` should have fetched it.");
    // The GoogleTest suite (native/acl-cpu/tests) is built with the library and run by the NativeTests task.
    Run("cmake", $"-S native/acl-cpu -B \"{nativeBuild}\" -DCMAKE_BUILD_TYPE=Release -DORT_ROOT=\"{ortRoot}\" -DAIO_CPU_TESTS=ON");
    Run("cmake", $"--build \"{nativeBuild}\" -j {Environment.ProcessorCount}");
    EnsureDirectoryExists(bin);
    var built = GetFiles($"{nativeBuild}/**/libacl_cpu.so");
    if (built.Count == 0)
        throw new Exception("CMake finished but produced no libacl_cpu.so.");
    CopyFiles(built, bin);
    CopyFiles(GetFiles($"{ortRoot}/runtimes/linux-x64/native/libonnxruntime.so*"), bin);
    Information("CPU device: {0}/libacl_cpu.so", bin);
});

Task("BindingsCheck")
    .Description("Fails when regenerating bindings/Generated from native/include would change it.")
    .IsDependentOn("Restore")
    .Does(() =>
{
    Run("dotnet", $"run --project tools/BindGen -c {configuration} -- --check");
});

Task("Build")
    .IsDependentOn("Native")
    .Does(() =>
{
    DotNetBuild("AscendAio.sln", new DotNetBuildSettings { Configuration = configuration, NoRestore = true });
    DotNetPublish("tools/Aio.Cli/Aio.Cli.csproj", new DotNetPublishSettings
    {
        Configuration = configuration,
        OutputDirectory = bin,
        NoRestore = true,
        NoBuild = true,
    });
    Information("Console host: {0}/aio", bin);
});

Task("ReferenceFixtures")
    .Description("npm ci in every tests/Reference/*/ folder with a package-lock.json, then its `fixtures` script if it has one.")
    .Does(() =>
{
    foreach (var lockFile in GetFiles("tests/Reference/*/package-lock.json"))
    {
        var folder = lockFile.GetDirectory();
        RunIn(folder, "npm", "ci --ignore-scripts --no-audit --no-fund");
        var scripts = System.Text.Json.JsonDocument.Parse(System.IO.File.ReadAllText(folder.CombineWithFilePath("package.json").FullPath))
            .RootElement.TryGetProperty("scripts", out var s) ? s : default;
        if (scripts.ValueKind == System.Text.Json.JsonValueKind.Object && scripts.TryGetProperty("fixtures", out _))
            RunIn(folder, "npm", "run fixtures");
    }
});

Task("NativeTests")
    .Description("Runs the CPU device's GoogleTest suite (ctest) against the freshly built libacl_cpu.so.")
    .IsDependentOn("Native")
    .Does(() =>
{
    Run("ctest", $"--test-dir \"{nativeBuild}\" --output-on-failure");
});

Task("Test")
    .IsDependentOn("Build")
    .IsDependentOn("NativeTests")
    .IsDependentOn("BindingsCheck")
    .IsDependentOn("ReferenceFixtures")
    .Does(() =>
{
    CleanDirectory(testResults);
    var failedRun = false;
    try
    {
        DotNetTest("AscendAio.sln", new DotNetTestSettings
        {
            Configuration = configuration,
            NoBuild = true,
            NoRestore = true,
            ResultsDirectory = testResults,
            Loggers = new[] { "trx", "console;verbosity=minimal" },
        });
    }
    catch (Exception)
    {
        failedRun = true;
    }
    var (passed, failed, skipped) = CountTrx(testResults);
    // The plain closing line CI reads.
    Console.WriteLine($"{passed} passed, {failed} failed" + (skipped > 0 ? $", {skipped} skipped" : ""));
    if (failedRun || failed > 0 || passed == 0)
        throw new Exception("Tests failed.");
});

Task("Bundles")
    .Description("Exports every checkpoint under models/ to artifacts/bundles/<name> (float) and <name>-w8a16.")
    .IsDependentOn("Build")
    .Does(() =>
{
    var aio = bin.CombineWithFilePath("aio").FullPath;
    foreach (var checkpoint in GetDirectories("models/*").Where(d => FileExists(d.CombineWithFilePath("config.json"))))
    {
        var name = checkpoint.GetDirectoryName();
        foreach (var (suffix, extra) in new[] { ("", ""), ("-w8a16", " --quant w8a16") })
        {
            var bundle = artifacts.Combine("bundles").Combine(name + suffix);
            var manifest = bundle.CombineWithFilePath("bundle.json");
            var newest = GetFiles($"{checkpoint}/*").Max(f => System.IO.File.GetLastWriteTimeUtc(f.FullPath));
            // A bundle of an older graph contract (format_version) or without the batch gears is exported again.
            var text = FileExists(manifest) ? System.IO.File.ReadAllText(manifest.FullPath) : "";
            if (FileExists(manifest) && System.IO.File.GetLastWriteTimeUtc(manifest.FullPath) > newest
                && text.Contains($"\"format_version\": {BundleFormatVersion}") && text.Contains($"\"batch\": {BatchGears.Split(',')[^1]}"))
            {
                Information("{0}: up to date", bundle);
                continue;
            }
            Run(aio, $"export --checkpoint \"{checkpoint}\" --out \"{bundle}\" --name {name}{suffix}{extra} --batch {BatchGears}");
        }
    }
});

Task("Run")
    .Description("The main job (see README).")
    .IsDependentOn("Bundles")
    .Does(() =>
{
    var aio = bin.CombineWithFilePath("aio");
    Run(aio.FullPath, string.IsNullOrWhiteSpace(runArgs) ? $"bench --policy policies/aio.json --out \"{artifacts.Combine("bench")}\"" : runArgs);
});

RunTarget(NormalizeTarget(target));

// ---------------------------------------------------------------------------------------------

string NormalizeTarget(string name) =>
    new[] { "Clean", "Restore", "Native", "BindingsCheck", "Build", "Bundles", "Test", "Run" }
        .FirstOrDefault(t => string.Equals(t, name, StringComparison.OrdinalIgnoreCase)) ?? name;

DirectoryPath NuGetPackageRoot()
{
    var fromEnv = EnvironmentVariable("NUGET_PACKAGES");
    if (!string.IsNullOrEmpty(fromEnv))
        return Directory(fromEnv);
    var home = EnvironmentVariable("HOME") ?? "/root";
    return Directory(System.IO.Path.Combine(home, ".nuget", "packages"));
}

void Run(string tool, string arguments) => RunIn(root, tool, arguments);

void RunIn(DirectoryPath directory, string tool, string arguments)
{
    Information("> ({0}) {1} {2}", directory, tool, arguments);
    var exit = StartProcess(tool, new ProcessSettings { Arguments = arguments, WorkingDirectory = directory });
    if (exit != 0)
        throw new Exception($"`{tool} {arguments}` in {directory} exited with {exit}.");
}

(int passed, int failed, int skipped) CountTrx(DirectoryPath directory)
{
    int passed = 0, failed = 0, skipped = 0;
    foreach (var trx in GetFiles($"{directory}/**/*.trx"))
    {
        var counters = XDocument.Load(trx.FullPath).Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters");
        if (counters is null)
            continue;
        int Read(string name) => int.TryParse(counters.Attribute(name)?.Value, out var v) ? v : 0;
        passed += Read("passed");
        failed += Read("failed") + Read("error") + Read("timeout") + Read("aborted");
        skipped += Read("notExecuted");
    }
    return (passed, failed, skipped);
}
