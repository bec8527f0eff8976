using System.Reflection;
using System.Runtime.InteropServices;

namespace AscendAio.BindGen.Clang;

/// <summary>Finds libclang once and serves it for every <see cref="LibClang"/> P/Invoke.</summary>
internal static class LibClangLoader
{
    /// <summary>Environment variable naming the libclang file to use instead of the search.</summary>
    public const string PathVariable = "LIBCLANG_PATH";

    private static readonly string[] Candidates =
    [
        "libclang-14.so.1",
        "libclang.so.1",
        "/usr/lib/llvm-14/lib/libclang.so.1",
        "/usr/lib/x86_64-linux-gnu/libclang-14.so.1",
    ];

    private static readonly Lock Gate = new();
    private static nint _handle;

    /// <summary>Loads libclang (LIBCLANG_PATH first, then the usual LLVM 14 names) and routes the P/Invokes to it.</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_handle != 0)
                return;
            _handle = LoadFirst(out var tried);
            if (_handle == 0)
                throw new DllNotFoundException(
                    "libclang not found; tried " + string.Join(", ", tried) +
                    $". Install LLVM 14's libclang (apt-get install libclang1-14) or set {PathVariable} to libclang's file.");
            NativeLibrary.SetDllImportResolver(typeof(LibClangLoader).Assembly, Resolve);
        }
    }

    private static nint LoadFirst(out List<string> tried)
    {
        tried = [];
        var fromEnvironment = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            // An explicit choice that fails must not silently fall back to another libclang.
            if (NativeLibrary.TryLoad(fromEnvironment, out var chosen))
                return chosen;
            throw new DllNotFoundException($"{PathVariable} names '{fromEnvironment}', which could not be loaded as libclang.");
        }
        foreach (var candidate in Candidates)
        {
            tried.Add(candidate);
            if (NativeLibrary.TryLoad(candidate, out var handle))
                return handle;
        }
        return 0;
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == LibClang.LibraryName ? _handle : 0;
}
