using AscendAio.BindGen.Model;

namespace AscendAio.BindGen.Emit;

/// <summary>
/// Writes one xunit class per struct that pins the managed layout to the C layout libclang computed:
/// blittable, sequential (explicit for unions), same size, same field offsets.
/// </summary>
internal sealed class LayoutTestEmitter(string bindingsNamespace, string testNamespace)
{
    public static string ClassName(StructDecl declaration) => declaration.Name + "LayoutTests";

    public string Tests(HeaderModel header, StructDecl declaration)
    {
        var type = declaration.Name;
        var writer = new CodeWriter().Banner(header.DisplayPath).Line()
            .Line("using System.Runtime.CompilerServices;")
            .Line("using System.Runtime.InteropServices;")
            .Line($"using {bindingsNamespace};")
            .Line()
            .Line($"namespace {testNamespace};")
            .Line()
            .Line($"/// <summary>{type} must match the C layout libclang computed from {header.DisplayPath}.</summary>")
            .Open($"public unsafe class {ClassName(declaration)}");

        writer.Line("[Fact]").Open("public void IsBlittable()")
            .Line($"Assert.False(RuntimeHelpers.IsReferenceOrContainsReferences<{type}>());")
            .Line($"Assert.Equal(sizeof({type}), Marshal.SizeOf<{type}>());")
            .Close().Line();

        var (layout, property) = declaration.IsUnion ? ("Explicit", "IsExplicitLayout") : ("Sequential", "IsLayoutSequential");
        writer.Line("[Fact]").Open($"public void Has{layout}Layout()")
            .Line($"Assert.True(typeof({type}).{property});")
            .Close().Line();

        writer.Line("[Fact]").Open($"public void SizeOf_Is{declaration.Size}BytesAsInC()")
            .Line($"Assert.Equal({declaration.Size}, sizeof({type}));")
            .Close();

        if (declaration.Fields.Count > 0)
        {
            writer.Line().Line("[Theory]");
            foreach (var field in declaration.Fields)
                writer.Line($"[InlineData(\"{field.Name}\", {field.Offset})]");
            writer.Open("public void OffsetOf_Field_MatchesC(string field, int offset)")
                .Line($"Assert.Equal(offset, Marshal.OffsetOf<{type}>(field).ToInt32());")
                .Close();
        }
        return writer.Close().ToString();
    }
}
