using AscendAio.Bindings;

namespace AscendAio.Acl.Tests;

public class LibraryResolverTests
{
    [Fact]
    public void Choose_OverrideNamingAMissingFile_SaysWhichVariableToFix()
    {
        var error = Assert.Throws<DllNotFoundException>(() => AclLibrary.Choose("/nope/libascendcl.so", [], []));

        Assert.Contains(AclLibrary.OverrideVariable, error.Message);
        Assert.Contains("/nope/libascendcl.so", error.Message);
    }

    [Fact]
    public void Choose_NothingInstalled_GivesAnActionableMessage()
    {
        var error = Assert.Throws<DllNotFoundException>(() => AclLibrary.Choose(null, ["/nope/cann/libascendcl.so"], ["/nope/libacl_cpu.so"]));

        Assert.Contains("set_env.sh", error.Message);
        Assert.Contains("/nope/cann/libascendcl.so", error.Message);
        Assert.Contains("/nope/libacl_cpu.so", error.Message);
    }

    [Fact]
    public void Choose_PrefersCannOverTheCpuDevice()
    {
        var cann = Path.GetTempFileName();
        var cpu = Path.GetTempFileName();
        try
        {
            var choice = AclLibrary.Choose(null, [cann], [cpu]);

            Assert.Equal(cann, choice.Path);
            Assert.Equal(AclDeviceKind.Npu, choice.Kind);
        }
        finally
        {
            File.Delete(cann);
            File.Delete(cpu);
        }
    }

    [Fact]
    public void Choose_FallsBackToTheCpuDevice()
    {
        var cpu = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}-libacl_cpu.so");
        File.WriteAllBytes(cpu, []);
        try
        {
            var choice = AclLibrary.Choose(null, ["/nope/libascendcl.so"], [cpu]);

            Assert.Equal(AclDeviceKind.Cpu, choice.Kind);
        }
        finally
        {
            File.Delete(cpu);
        }
    }

    [Fact]
    public void FirstCall_LoadsTheCpuDeviceAndRecordsTheChoice()
    {
        using var device = AscendAio.Engine.Acl.Device.Open();

        Assert.NotNull(AclLibrary.Choice);
        Assert.Equal(AclDeviceKind.Cpu, AclLibrary.Choice!.Kind);
    }
}
