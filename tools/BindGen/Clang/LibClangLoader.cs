using System.Reflection;
using System.Runtime.InteropServices;

namespace AscendAio.BindGen.Clang;

/// <summary>Finds libclang once and serves it for every <see cref="LibClang"/> P/Invoke.</summary>
/// <remarks>
/// libclang comes from the NuGet package libclang.runtime.linux-x64 (its native asset is listed in bindgen.deps.json),
/// so every machine generates with the same LLVM and needs nothing from the system's package manager.
/// </remarks>
internal static class LibClangLoader
{
    /// <summary>Environment variable naming the libclang file to use instead of the package's.</summary>
    public const string PathVariable = "LIBCLANG_PATH";

    private static readonly Lock Gate = new();
    private static nint _handle;

    /// <summary>Loads libclang (LIBCLANG_PATH if set, else the package's) and routes the P/Invokes to it.</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_handle != 0)
                return;
            _handle = Load();
            NativeLibrary.SetDllImportResolver(typeof(LibClangLoader).Assembly, Resolve);
        }
    }

    private static nint Load()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            // An explicit choice that fails must not silently fall back to another libclang.
            if (NativeLibrary.TryLoad(fromEnvironment, out var chosen))
                return chosen;
            throw new DllNotFoundException($"{PathVariable} names '{fromEnvironment}', which could not be loaded as libclang.");
        }
        // The assembly-relative probe reads the deps.json native assets, which is where the package's file is.
        if (NativeLibrary.TryLoad(LibClang.LibraryName, typeof(LibClangLoader).Assembly, null, out var packaged))
            return packaged;
        throw new DllNotFoundException(
            "libclang not found next to bindgen (the NuGet package libclang.runtime.linux-x64 provides it; " +
            $"run 'dotnet restore tools/BindGen') and {PathVariable} is not set.");
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == LibClang.LibraryName ? _handle : 0;
}
