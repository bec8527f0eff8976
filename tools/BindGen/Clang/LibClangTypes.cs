using System.Runtime.InteropServices;

namespace AscendAio.BindGen.Clang;

// libclang's handle, value and enum types (clang-c/Index.h, LLVM 14), laid out exactly as in C.

#pragma warning disable CS0649 // the handle and struct fields are written by libclang, never by managed code

internal readonly struct CXIndex { public readonly nint Handle; }

internal readonly struct CXTranslationUnit { public readonly nint Handle; }

internal readonly struct CXFile { public readonly nint Handle; }

internal readonly struct CXDiagnostic { public readonly nint Handle; }

internal readonly struct CXEvalResult { public readonly nint Handle; }

[StructLayout(LayoutKind.Sequential)]
internal readonly struct CXString
{
    public readonly nint Data;
    public readonly uint PrivateFlags;
}

[StructLayout(LayoutKind.Sequential)]
internal readonly struct CXCursor
{
    public readonly CXCursorKind Kind;
    public readonly int XData;
    public readonly nint Data0;
    public readonly nint Data1;
    public readonly nint Data2;
}

[StructLayout(LayoutKind.Sequential)]
internal readonly struct CXType
{
    public readonly CXTypeKind Kind;
    public readonly nint Data0;
    public readonly nint Data1;
}

[StructLayout(LayoutKind.Sequential)]
internal readonly struct CXSourceLocation
{
    public readonly nint Ptr0;
    public readonly nint Ptr1;
    public readonly uint IntData;
}

[StructLayout(LayoutKind.Sequential)]
internal readonly struct CXSourceRange
{
    public readonly nint Ptr0;
    public readonly nint Ptr1;
    public readonly uint BeginIntData;
    public readonly uint EndIntData;
}

[StructLayout(LayoutKind.Sequential)]
internal readonly struct CXToken
{
    public readonly uint Int0;
    public readonly uint Int1;
    public readonly uint Int2;
    public readonly uint Int3;
    public readonly nint Ptr;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CXUnsavedFile
{
    public byte* Filename;
    public byte* Contents;
    public nuint Length; // C `unsigned long`: 64-bit on the LP64 hosts libclang runs on here
}

internal enum CXCursorKind
{
    UnexposedDecl = 1,
    StructDecl = 2,
    UnionDecl = 3,
    EnumDecl = 5,
    FieldDecl = 6,
    EnumConstantDecl = 7,
    FunctionDecl = 8,
    VarDecl = 9,
    ParmDecl = 10,
    TypedefDecl = 20,
    TranslationUnit = 350,
    MacroDefinition = 501,
    MacroExpansion = 502,
    InclusionDirective = 503,
}

internal enum CXTypeKind
{
    Invalid = 0,
    Unexposed = 1,
    Void = 2,
    Bool = 3,
    Char_U = 4,
    UChar = 5,
    Char16 = 6,
    Char32 = 7,
    UShort = 8,
    UInt = 9,
    ULong = 10,
    ULongLong = 11,
    UInt128 = 12,
    Char_S = 13,
    SChar = 14,
    WChar = 15,
    Short = 16,
    Int = 17,
    Long = 18,
    LongLong = 19,
    Int128 = 20,
    Float = 21,
    Double = 22,
    LongDouble = 23,
    Pointer = 101,
    Record = 105,
    Enum = 106,
    Typedef = 107,
    FunctionNoProto = 110,
    FunctionProto = 111,
    ConstantArray = 112,
    IncompleteArray = 114,
    Elaborated = 119,
}

internal enum CXChildVisitResult
{
    Break = 0,
    Continue = 1,
    Recurse = 2,
}

internal enum CXTokenKind
{
    Punctuation = 0,
    Keyword = 1,
    Identifier = 2,
    Literal = 3,
    Comment = 4,
}

internal enum CXEvalResultKind
{
    UnExposed = 0,
    Int = 1,
    Float = 2,
    ObjCStrLiteral = 3,
    StrLiteral = 4,
    CFStr = 5,
    Other = 6,
}

internal enum CXDiagnosticSeverity
{
    Ignored = 0,
    Note = 1,
    Warning = 2,
    Error = 3,
    Fatal = 4,
}

internal enum CXErrorCode
{
    Success = 0,
    Failure = 1,
    Crashed = 2,
    InvalidArguments = 3,
    ASTReadError = 4,
}

internal enum CX_StorageClass
{
    Invalid = 0,
    None = 1,
    Extern = 2,
    Static = 3,
}

[Flags]
internal enum CXTranslationUnitFlags : uint
{
    None = 0,
    DetailedPreprocessingRecord = 0x01,
    SkipFunctionBodies = 0x40,
}
