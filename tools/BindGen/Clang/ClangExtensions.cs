using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using static AscendAio.BindGen.Clang.LibClang;

namespace AscendAio.BindGen.Clang;

/// <summary>Managed conveniences over the raw libclang calls: strings, children, locations, types.</summary>
internal static unsafe class ClangExtensions
{
    /// <summary>Copies a libclang string and disposes it.</summary>
    public static string ToManaged(this CXString text)
    {
        try
        {
            var chars = clang_getCString(text);
            return chars == null ? "" : Marshal.PtrToStringUTF8((nint)chars) ?? "";
        }
        finally
        {
            clang_disposeString(text);
        }
    }

    public static string Spelling(this CXCursor cursor) => clang_getCursorSpelling(cursor).ToManaged();

    public static string Spelling(this CXType type) => clang_getTypeSpelling(type).ToManaged();

    public static bool IsNull(this CXCursor cursor) => clang_Cursor_isNull(cursor) != 0;

    public static CXType Type(this CXCursor cursor) => clang_getCursorType(cursor);

    public static CXType Canonical(this CXType type) => clang_getCanonicalType(type);

    public static long SizeOf(this CXType type) => clang_Type_getSizeOf(type);

    /// <summary>The direct children of a cursor, in source order.</summary>
    public static List<CXCursor> Children(this CXCursor parent)
    {
        var children = new List<CXCursor>();
        var handle = GCHandle.Alloc(children);
        try
        {
            _ = clang_visitChildren(parent, &CollectChild, GCHandle.ToIntPtr(handle));
        }
        finally
        {
            handle.Free();
        }
        return children;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static CXChildVisitResult CollectChild(CXCursor cursor, CXCursor parent, nint clientData)
    {
        ((List<CXCursor>)GCHandle.FromIntPtr(clientData).Target!).Add(cursor);
        return CXChildVisitResult.Continue;
    }

    /// <summary>Where the cursor is spelled: full file path (empty for built-ins), line and byte offset.</summary>
    public static SourcePosition Position(this CXCursor cursor) => clang_getCursorLocation(cursor).Position();

    public static SourcePosition Position(this CXSourceLocation location)
    {
        CXFile file;
        uint line, column, offset;
        clang_getSpellingLocation(location, &file, &line, &column, &offset);
        return ToPosition(file, line, column, offset);
    }

    /// <summary>Where a macro expansion (not the macro's definition) puts this location.</summary>
    public static SourcePosition ExpansionPosition(this CXSourceLocation location)
    {
        CXFile file;
        uint line, column, offset;
        clang_getExpansionLocation(location, &file, &line, &column, &offset);
        return ToPosition(file, line, column, offset);
    }

    private static SourcePosition ToPosition(CXFile file, uint line, uint column, uint offset)
    {
        var path = file.Handle == 0 ? "" : clang_getFileName(file).ToManaged();
        return new SourcePosition(path.Length == 0 ? "" : Path.GetFullPath(path), (int)line, (int)column, (int)offset);
    }

    /// <summary>Strips sugar that does not change the C# translation: `struct X` elaboration.</summary>
    public static CXType Desugared(this CXType type)
    {
        while (type.Kind == CXTypeKind.Elaborated)
            type = clang_Type_getNamedType(type);
        return type;
    }

    public static byte[] Utf8Z(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}

/// <summary>A spelling location: the file (full path), 1-based line and column, and byte offset.</summary>
internal readonly record struct SourcePosition(string File, int Line, int Column, int Offset)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
