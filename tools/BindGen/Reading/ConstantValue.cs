using System.Runtime.InteropServices;
using AscendAio.BindGen.Clang;
using static AscendAio.BindGen.Clang.LibClang;

namespace AscendAio.BindGen.Reading;

/// <summary>A constant's C# type and literal, computed by clang's own constant evaluator.</summary>
internal sealed record ConstantValue(string CSharpType, string Literal)
{
    /// <summary>Evaluates a variable's initializer; <paramref name="cToken"/> (the C spelling) keeps hex literals as written.</summary>
    public static unsafe ConstantValue? Evaluate(CXCursor variable, CXType type, string? cToken = null)
    {
        var result = clang_Cursor_Evaluate(variable);
        if (result.Handle == 0)
            return null;
        try
        {
            var kind = type.Canonical().Kind;
            switch (clang_EvalResult_getKind(result))
            {
                case CXEvalResultKind.Int when IsInteger(kind):
                {
                    Int128 value = clang_EvalResult_isUnsignedInt(result) != 0
                        ? (Int128)clang_EvalResult_getAsUnsigned(result)
                        : (Int128)clang_EvalResult_getAsLongLong(result);
                    return new ConstantValue(CSharpSyntax.IntegerType(value), CSharpSyntax.IntegerLiteral(value, cToken));
                }
                case CXEvalResultKind.Float when kind == CXTypeKind.Float:
                    return new ConstantValue("float", CSharpSyntax.FloatLiteral(clang_EvalResult_getAsDouble(result)));
                case CXEvalResultKind.Float when kind == CXTypeKind.Double:
                    return new ConstantValue("double", CSharpSyntax.DoubleLiteral(clang_EvalResult_getAsDouble(result)));
                case CXEvalResultKind.StrLiteral:
                {
                    var text = Marshal.PtrToStringUTF8((nint)clang_EvalResult_getAsStr(result)) ?? "";
                    return new ConstantValue("string", CSharpSyntax.StringLiteral(text));
                }
                default:
                    return null;
            }
        }
        finally
        {
            clang_EvalResult_dispose(result);
        }
    }

    public static bool IsInteger(CXTypeKind kind) => kind is CXTypeKind.Bool or CXTypeKind.Char_U or CXTypeKind.UChar
        or CXTypeKind.Char16 or CXTypeKind.Char32 or CXTypeKind.UShort or CXTypeKind.UInt or CXTypeKind.ULong
        or CXTypeKind.ULongLong or CXTypeKind.Char_S or CXTypeKind.SChar or CXTypeKind.WChar or CXTypeKind.Short
        or CXTypeKind.Int or CXTypeKind.Long or CXTypeKind.LongLong or CXTypeKind.Enum;
}
