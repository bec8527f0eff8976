using AscendAio.BindGen.Model;
using AscendAio.BindGen.Reading;

namespace AscendAio.BindGen.Emit;

/// <summary>Formats the model as ClangSharp-style C#: one class per header, one file per enum, struct and opaque type.</summary>
internal sealed class BindingEmitter(string ns)
{
    public const string AttributeFileName = "NativeTypeNameAttribute.cs";

    public string HeaderClass(HeaderModel header, string libraryName)
    {
        var writer = new CodeWriter().Banner(header.DisplayPath).Line();
        if (header.Functions.Count > 0)
            writer.Line("using System.Runtime.InteropServices;").Line();
        writer.Line($"namespace {ns};").Line().Open($"public static unsafe partial class {header.ClassName}");
        var first = true;
        foreach (var constant in header.Constants)
        {
            Separate(writer, ref first);
            if (constant.NativeSpelling is not null)
                writer.Line(NativeTypeName(constant.NativeSpelling));
            writer.Line($"public const {constant.CSharpType} {CSharpSyntax.Identifier(constant.Name)} = {constant.Literal};");
        }
        foreach (var function in header.Functions)
        {
            Separate(writer, ref first);
            writer.Line($"[DllImport({libraryName}, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]");
            if (function.Return.NativeSpelling is not null)
                writer.Line($"[return: {NativeTypeName(function.Return.NativeSpelling)[1..^1]}]");
            var parameters = string.Join(", ", function.Parameters.Select(Parameter));
            writer.Line($"public static extern {function.Return.CSharp} {function.Name}({parameters});");
        }
        return writer.Close().ToString();
    }

    public string Enum(HeaderModel header, EnumDecl declaration)
    {
        var writer = new CodeWriter().Banner(header.DisplayPath).Line().Line($"namespace {ns};").Line();
        var underlying = declaration.UnderlyingType is null ? "" : " : " + declaration.UnderlyingType;
        writer.Open($"public enum {declaration.Name}{underlying}");
        foreach (var member in declaration.Members)
            writer.Line($"{CSharpSyntax.Identifier(member.Name)} = {member.Literal},");
        return writer.Close().ToString();
    }

    public string Struct(HeaderModel header, StructDecl declaration)
    {
        var inlineArrays = declaration.Fields.Where(f => f.Shape == FieldShape.InlineArray).ToList();
        var writer = new CodeWriter().Banner(header.DisplayPath).Line();
        if (inlineArrays.Count > 0)
            writer.Line("using System.Runtime.CompilerServices;");
        writer.Line("using System.Runtime.InteropServices;").Line().Line($"namespace {ns};").Line();
        writer.Line(declaration.IsUnion ? "[StructLayout(LayoutKind.Explicit)]" : "[StructLayout(LayoutKind.Sequential)]");
        writer.Open($"public unsafe partial struct {declaration.Name}");
        var first = true;
        foreach (var field in declaration.Fields)
        {
            Separate(writer, ref first);
            if (declaration.IsUnion)
                writer.Line("[FieldOffset(0)]");
            if (field.Type.NativeSpelling is not null)
                writer.Line(NativeTypeName(field.Type.NativeSpelling));
            var name = CSharpSyntax.Identifier(field.Name);
            writer.Line(field.Shape switch
            {
                FieldShape.FixedBuffer => $"public fixed {field.ElementType} {name}[{field.Count}];",
                FieldShape.InlineArray => $"public {BufferTypeName(field)} {name};",
                _ => $"public {field.Type.CSharp} {name};",
            });
        }
        foreach (var field in inlineArrays)
        {
            writer.Line().Line($"[InlineArray({field.Count})]").Open($"public partial struct {BufferTypeName(field)}");
            writer.Line($"public {field.ElementType} e0;").Close();
        }
        return writer.Close().ToString();
    }

    public string Opaque(HeaderModel header, OpaqueDecl declaration) =>
        new CodeWriter().Banner(header.DisplayPath).Line().Line($"namespace {ns};").Line()
            .Line($"/// <summary>Opaque C type: only pointers to it cross the ABI.</summary>")
            .Open($"public partial struct {declaration.Name}").Close().ToString();

    /// <summary>The attribute that keeps C spellings, generated beside the bindings as ClangSharp does.</summary>
    public string NativeTypeNameAttribute() =>
        new CodeWriter().Banner(null).Line().Line("using System;").Line().Line($"namespace {ns};").Line()
            .Line("/// <summary>The C spelling of a parameter, return value, field or constant whose C# type reads differently.</summary>")
            .Line("[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Enum | AttributeTargets.Field | AttributeTargets.Parameter |")
            .Line("                AttributeTargets.ReturnValue | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]")
            .Open("internal sealed partial class NativeTypeNameAttribute(string name) : Attribute")
            .Line("/// <summary>The type as the C header spells it.</summary>")
            .Line("public string Name { get; } = name;")
            .Close().ToString();

    private static string Parameter(ParameterDecl parameter)
    {
        var attribute = parameter.Type.NativeSpelling is null ? "" : NativeTypeName(parameter.Type.NativeSpelling) + " ";
        return $"{attribute}{parameter.Type.CSharp} {CSharpSyntax.Identifier(parameter.Name)}";
    }

    private static string NativeTypeName(string spelling) => $"[NativeTypeName({CSharpSyntax.StringLiteral(spelling)})]";

    private static string BufferTypeName(FieldDecl field) => $"_{field.Name}_e__FixedBuffer";

    private static void Separate(CodeWriter writer, ref bool first)
    {
        if (!first)
            writer.Line();
        first = false;
    }
}
