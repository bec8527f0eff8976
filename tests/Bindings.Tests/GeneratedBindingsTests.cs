using System.Reflection;
using System.Runtime.InteropServices;

namespace AscendAio.Bindings.Tests;

/// <summary>End-to-end checks of tools/BindGen's output: known AscendCL values and the P/Invoke conventions.</summary>
public unsafe class GeneratedBindingsTests
{
    private static readonly Type[] HeaderClasses = [typeof(AclBase), typeof(AclRt), typeof(AclMdl), typeof(AclProf)];

    [Fact]
    public void AclSuccess_IsZero()
    {
        Assert.Equal(0, AclBase.ACL_SUCCESS);
    }

    [Fact]
    public void ErrorCodes_KeepCannValuesAsInt()
    {
        Assert.Equal(100000, AclBase.ACL_ERROR_INVALID_PARAM);
        Assert.Equal(107000, RtErrorCodes.ACL_ERROR_RT_PARAM_INVALID);
        Assert.IsType<int>(RtErrorCodes.ACL_ERROR_RT_PARAM_INVALID);
    }

    [Fact]
    public void MemcpyKind_DeviceToHost_IsTwo()
    {
        Assert.Equal(2, (int)aclrtMemcpyKind.ACL_MEMCPY_DEVICE_TO_HOST);
        Assert.Equal(typeof(int), Enum.GetUnderlyingType(typeof(aclrtMemcpyKind)));
    }

    [Fact]
    public void DataType_KeepsNegativeUndefinedValue()
    {
        Assert.Equal(-1, (int)aclDataType.ACL_DT_UNDEFINED);
    }

    [Fact]
    public void MacroConstants_KeepValueAndWidth()
    {
        Assert.Equal(128, AclMdl.ACL_MAX_DIM_CNT);
        Assert.Equal("ascend_mbatch_shape_data", AclMdl.ACL_DYNAMIC_TENSOR_NAME);
        Assert.Equal(0xFFFFFFFFu, AclMdl.ACL_INVALID_NODE_INDEX); // does not fit int, so it is a uint
    }

    [Fact]
    public void AclrtMalloc_IsExactSpellingCdeclImportWithBlittableSignature()
    {
        var method = typeof(AclRt).GetMethod("aclrtMalloc", BindingFlags.Public | BindingFlags.Static);
        Assert.NotNull(method);
        Assert.True(method.Attributes.HasFlag(MethodAttributes.PinvokeImpl));
        var import = method.GetCustomAttribute<DllImportAttribute>();
        Assert.NotNull(import);
        Assert.Equal(AclLibrary.Name, import.Value);
        Assert.True(import.ExactSpelling);
        Assert.Equal(CallingConvention.Cdecl, import.CallingConvention);
        Assert.Equal(typeof(int), method.ReturnType);
        Assert.Equal([typeof(void**), typeof(nuint), typeof(aclrtMemMallocPolicy)],
            method.GetParameters().Select(p => p.ParameterType));
    }

    [Fact]
    public void HandleParameters_KeepTheirCSpelling()
    {
        var stream = typeof(AclRt).GetMethod("aclrtCreateStream")!.GetParameters().Single();
        Assert.Equal(typeof(void**), stream.ParameterType);
        Assert.Equal("aclrtStream *", NativeTypeName(stream.GetCustomAttributesData()));
        Assert.Equal("aclError", NativeTypeName(typeof(AclRt).GetMethod("aclrtCreateStream")!.ReturnParameter.GetCustomAttributesData()));
    }

    [Fact]
    public void EveryExtern_ImportsItsHeadersLibraryWithItsOwnCName()
    {
        var externs = PInvokes().ToList();
        Assert.NotEmpty(externs);
        Assert.All(externs, method =>
        {
            var import = method.GetCustomAttribute<DllImportAttribute>()!;
            // acl_prof.h's functions live in CANN's libmsprofiler.so; every other header's in the AscendCL library.
            Assert.Equal(method.DeclaringType == typeof(AclProf) ? AclLibrary.ProfilerName : AclLibrary.Name, import.Value);
            Assert.True(import.ExactSpelling, method.Name);
            Assert.Equal(method.Name, import.EntryPoint);
        });
    }

    [Fact]
    public void Externs_AreDeclaredOnlyInGeneratedHeaderClasses()
    {
        var declaringTypes = PInvokes().Select(m => m.DeclaringType!).Distinct();
        Assert.All(declaringTypes, type => Assert.Contains(type, HeaderClasses));
    }

    private static IEnumerable<MethodInfo> PInvokes() =>
        typeof(AclLibrary).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.Attributes.HasFlag(MethodAttributes.PinvokeImpl));

    // NativeTypeNameAttribute is internal to the bindings assembly, so it is read by name.
    private static string? NativeTypeName(IEnumerable<CustomAttributeData> attributes) =>
        attributes.SingleOrDefault(a => a.AttributeType.Name == "NativeTypeNameAttribute")?.ConstructorArguments[0].Value as string;
}
