using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AscendAio.Bindings;

/// <summary>
/// The one place that names and finds the AscendCL library. Every generated <c>DllImport</c> uses
/// <see cref="Name"/>; the resolver registered at module load maps it to a real file:
/// <c>AIO_ACL_LIBRARY</c> if set, else CANN's <c>libascendcl.so</c>, else the CPU device <c>libacl_cpu.so</c>.
/// </summary>
public static partial class AclLibrary
{
    /// <summary>The logical library name used by every P/Invoke declaration.</summary>
    public const string Name = "ascendcl";

    /// <summary>
    /// The logical library name of the aclprof* functions (acl_prof.h). CANN ships them in libmsprofiler.so, beside
    /// libascendcl.so in lib64 (CANN 9.0.0, "头文件和库文件说明", aclcppdevg_03_1952: acl_prof.h → libmsprofiler.so;
    /// libascendcl.so still exports them for compatibility, deprecated). Resolved to libmsprofiler.so next to the chosen
    /// AscendCL library, else to the AscendCL library itself (older CANN; and the CPU device, which implements them).
    /// </summary>
    public const string ProfilerName = "msprofiler";

    /// <summary>The profiling library the resolver loaded for <see cref="ProfilerName"/>, or null before the first aclprof* call.</summary>
    public static string? ProfilerPath { get; private set; }

    /// <summary>Environment variable that names the library file to use, overriding the search.</summary>
    public const string OverrideVariable = "AIO_ACL_LIBRARY";

    private static readonly Lock ResolveLock = new();
    private static AclLibraryChoice? _choice;
    private static nint _handle;

    /// <summary>The library that was loaded, or null before the first AscendCL call.</summary>
    public static AclLibraryChoice? Choice => _choice;

    /// <summary>Raised once when the library is chosen, with a human-readable line; hosts log it.</summary>
    public static event Action<AclLibraryChoice>? Resolved;

#pragma warning disable CA2255 // the resolver must be in place before any generated P/Invoke runs
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterResolver() =>
        NativeLibrary.SetDllImportResolver(typeof(AclLibrary).Assembly, Resolve);

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName == ProfilerName)
            return ResolveProfiler();
        if (libraryName != Name)
            return 0;
        lock (ResolveLock)
        {
            if (_handle != 0)
                return _handle;
            var choice = Choose(Environment.GetEnvironmentVariable(OverrideVariable), CannCandidates(), CpuDeviceCandidates());
            if (!NativeLibrary.TryLoad(choice.Path, out _handle))
                throw new DllNotFoundException(
                    $"AscendCL library '{choice.Path}' ({choice.Reason}) exists but could not be loaded; " +
                    $"check that its dependencies (CANN's set_env.sh, or libonnxruntime.so beside libacl_cpu.so) are in place.");
            _choice = choice;
            Resolved?.Invoke(choice);
            return _handle;
        }
    }

    private static nint _profilerHandle;

    private static nint ResolveProfiler()
    {
        var acl = Resolve(Name, typeof(AclLibrary).Assembly, null);
        lock (ResolveLock)
        {
            if (_profilerHandle != 0)
                return _profilerHandle;
            var path = ChooseProfiler(_choice!);
            _profilerHandle = path == _choice!.Path ? acl
                : NativeLibrary.TryLoad(path, out var handle) ? handle
                : throw new DllNotFoundException($"CANN profiling library '{path}' exists but could not be loaded; check CANN's set_env.sh.");
            ProfilerPath = path;
            return _profilerHandle;
        }
    }

    /// <summary>Where the aclprof* functions come from: libmsprofiler.so beside CANN's AscendCL library, else that library itself.</summary>
    public static string ChooseProfiler(AclLibraryChoice choice)
    {
        if (choice.Kind == AclDeviceKind.Cpu)
            return choice.Path;
        var msprofiler = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(choice.Path) ?? ".", "libmsprofiler.so");
        return File.Exists(msprofiler) ? msprofiler : choice.Path;
    }

    /// <summary>Picks the library file; throws an actionable <see cref="DllNotFoundException"/> when none exists.</summary>
    public static AclLibraryChoice Choose(string? overridePath, IEnumerable<string> cannCandidates, IEnumerable<string> cpuCandidates)
    {
        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            if (!File.Exists(overridePath))
                throw new DllNotFoundException(
                    $"{OverrideVariable} names '{overridePath}', which does not exist. Point it at CANN's libascendcl.so or at libacl_cpu.so (built by ./build.sh into artifacts/bin).");
            return new AclLibraryChoice(Path.GetFullPath(overridePath), KindOf(overridePath), $"from {OverrideVariable}");
        }

        var tried = new List<string>();
        foreach (var path in cannCandidates)
        {
            tried.Add(path);
            if (File.Exists(path))
                return new AclLibraryChoice(path, AclDeviceKind.Npu, "CANN toolkit found");
        }
        foreach (var path in cpuCandidates)
        {
            tried.Add(path);
            if (File.Exists(path))
                return new AclLibraryChoice(path, AclDeviceKind.Cpu, "no CANN toolkit; using the CPU device");
        }
        throw new DllNotFoundException(
            "No AscendCL library found. Tried: " + string.Join(", ", tried) + ". " +
            $"On a 910B server run `source /usr/local/Ascend/ascend-toolkit/set_env.sh` (or set ASCEND_TOOLKIT_HOME); " +
            $"elsewhere build the CPU device with `./build.sh` or set {OverrideVariable} to the library path.");
    }

    private static AclDeviceKind KindOf(string path) =>
        Path.GetFileName(path).Contains("acl_cpu", StringComparison.Ordinal) ? AclDeviceKind.Cpu : AclDeviceKind.Npu;

    private static IEnumerable<string> CannCandidates()
    {
        var home = Environment.GetEnvironmentVariable("ASCEND_TOOLKIT_HOME");
        if (!string.IsNullOrEmpty(home))
            yield return Path.Combine(home, "lib64", "libascendcl.so");
        yield return "/usr/local/Ascend/ascend-toolkit/latest/lib64/libascendcl.so";
    }

    private static IEnumerable<string> CpuDeviceCandidates()
    {
        yield return Path.Combine(AppContext.BaseDirectory, "libacl_cpu.so");
        var assemblyDir = Path.GetDirectoryName(typeof(AclLibrary).Assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDir) && assemblyDir != AppContext.BaseDirectory.TrimEnd('/'))
            yield return Path.Combine(assemblyDir, "libacl_cpu.so");
    }
}

/// <summary>Which AscendCL implementation a library file is.</summary>
public enum AclDeviceKind
{
    /// <summary>CANN's libascendcl.so on an Ascend NPU.</summary>
    Npu,

    /// <summary>The CPU device, libacl_cpu.so.</summary>
    Cpu,
}

/// <summary>The library the resolver picked and why.</summary>
public sealed record AclLibraryChoice(string Path, AclDeviceKind Kind, string Reason)
{
    public override string ToString() => $"AscendCL library: {Path} ({Kind}, {Reason})";
}
