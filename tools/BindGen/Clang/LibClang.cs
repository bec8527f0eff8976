using System.Runtime.InteropServices;

namespace AscendAio.BindGen.Clang;

// The subset of libclang's C API (clang-c/Index.h, LLVM 14) that BindGen uses. Every signature is blittable:
// handles are pointer-sized structs, strings cross as UTF-8 byte pointers, callbacks are unmanaged function pointers.
// The logical library name is mapped to a real file by LibClangLoader.

internal static unsafe partial class LibClang
{
    /// <summary>Logical name; <see cref="LibClangLoader"/> maps it to libclang-14.so.1, libclang.so.1 or LIBCLANG_PATH.</summary>
    public const string LibraryName = "libclang";

    // Index and translation units
    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXIndex clang_createIndex(int excludeDeclarationsFromPCH, int displayDiagnostics);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern void clang_disposeIndex(CXIndex index);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXErrorCode clang_parseTranslationUnit2(CXIndex index, byte* sourceFilename, byte** commandLineArgs,
        int numCommandLineArgs, CXUnsavedFile* unsavedFiles, uint numUnsavedFiles, CXTranslationUnitFlags options,
        CXTranslationUnit* translationUnit);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern void clang_disposeTranslationUnit(CXTranslationUnit unit);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXCursor clang_getTranslationUnitCursor(CXTranslationUnit unit);

    // Diagnostics
    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern uint clang_getNumDiagnostics(CXTranslationUnit unit);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXDiagnostic clang_getDiagnostic(CXTranslationUnit unit, uint index);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXDiagnosticSeverity clang_getDiagnosticSeverity(CXDiagnostic diagnostic);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXString clang_formatDiagnostic(CXDiagnostic diagnostic, uint options);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern uint clang_defaultDiagnosticDisplayOptions();

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXSourceLocation clang_getDiagnosticLocation(CXDiagnostic diagnostic);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern void clang_disposeDiagnostic(CXDiagnostic diagnostic);

    // Strings
    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern byte* clang_getCString(CXString text);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern void clang_disposeString(CXString text);

    // Cursors
    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern uint clang_visitChildren(CXCursor parent,
        delegate* unmanaged[Cdecl]<CXCursor, CXCursor, nint, CXChildVisitResult> visitor, nint clientData);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXString clang_getCursorSpelling(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXSourceLocation clang_getCursorLocation(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXSourceRange clang_getCursorExtent(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern int clang_Cursor_isNull(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern uint clang_Cursor_isAnonymous(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern uint clang_Cursor_isBitField(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern uint clang_Cursor_isFunctionInlined(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern uint clang_Cursor_isMacroFunctionLike(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern uint clang_Cursor_isMacroBuiltin(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern uint clang_isCursorDefinition(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXCursor clang_getCursorDefinition(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXCursor clang_getCanonicalCursor(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CX_StorageClass clang_Cursor_getStorageClass(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXType clang_getCursorType(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXType clang_getCursorResultType(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern int clang_Cursor_getNumArguments(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXCursor clang_Cursor_getArgument(CXCursor cursor, uint index);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXType clang_getTypedefDeclUnderlyingType(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXType clang_getEnumDeclIntegerType(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern long clang_getEnumConstantDeclValue(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern ulong clang_getEnumConstantDeclUnsignedValue(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern long clang_Cursor_getOffsetOfField(CXCursor cursor);

    // Types
    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXString clang_getTypeSpelling(CXType type);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXType clang_getCanonicalType(CXType type);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXType clang_getPointeeType(CXType type);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXType clang_Type_getNamedType(CXType type);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXCursor clang_getTypeDeclaration(CXType type);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern uint clang_isConstQualifiedType(CXType type);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXType clang_getResultType(CXType type);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern int clang_getNumArgTypes(CXType type);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXType clang_getArgType(CXType type, uint index);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern uint clang_isFunctionTypeVariadic(CXType type);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXType clang_getArrayElementType(CXType type);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern long clang_getArraySize(CXType type);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern long clang_Type_getSizeOf(CXType type);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern long clang_Type_getAlignOf(CXType type);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern long clang_Type_getOffsetOf(CXType type, byte* fieldName);

    // Source locations
    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern void clang_getSpellingLocation(CXSourceLocation location, CXFile* file, uint* line, uint* column, uint* offset);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern void clang_getExpansionLocation(CXSourceLocation location, CXFile* file, uint* line, uint* column, uint* offset);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXString clang_getFileName(CXFile file);

    // Tokens
    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern void clang_tokenize(CXTranslationUnit unit, CXSourceRange range, CXToken** tokens, uint* numTokens);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern void clang_disposeTokens(CXTranslationUnit unit, CXToken* tokens, uint numTokens);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXTokenKind clang_getTokenKind(CXToken token);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXString clang_getTokenSpelling(CXTranslationUnit unit, CXToken token);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXSourceLocation clang_getTokenLocation(CXTranslationUnit unit, CXToken token);

    // Constant evaluation
    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXEvalResult clang_Cursor_Evaluate(CXCursor cursor);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern CXEvalResultKind clang_EvalResult_getKind(CXEvalResult result);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern uint clang_EvalResult_isUnsignedInt(CXEvalResult result);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern long clang_EvalResult_getAsLongLong(CXEvalResult result);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern ulong clang_EvalResult_getAsUnsigned(CXEvalResult result);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern double clang_EvalResult_getAsDouble(CXEvalResult result);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern byte* clang_EvalResult_getAsStr(CXEvalResult result);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern void clang_EvalResult_dispose(CXEvalResult result);
}
