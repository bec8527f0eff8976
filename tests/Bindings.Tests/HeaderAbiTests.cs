using AscendAio.Bindings.Tests.Abi;

namespace AscendAio.Bindings.Tests;

/// <summary>native/include/acl against CANN's ABI facts in native/abi/acl_abi.tsv, checked by the C compiler.</summary>
public class HeaderAbiTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string Root = FindRoot();
    private static readonly string Include = Path.Combine(Root, "native", "include");
    private static readonly AbiFacts Facts = AbiFacts.Read(Path.Combine(Root, "native", "abi", "acl_abi.tsv"));

    [Fact]
    public void Headers_AgreeWithCannOnEverythingTheyDeclare_AndDeclareTheCoreFunctions()
    {
        var report = HeaderAbiCheck.Run(Include, Facts);
        output.WriteLine(report.ToString());

        Assert.True(report.Ok, report.ToString());
        Assert.True(report.Functions >= HeaderAbiCheck.CoreFunctions.Length, report.ToString());
        Assert.True(report.Constants > 100, report.ToString());
        Assert.Contains(Facts.Structs, s => s.Name == "aclmdlIODims");
        Assert.True(report.Structs >= 1, report.ToString());
    }

    [Fact]
    public void AWrongParameterType_AWrongValue_AndAMovedField_AreEachNamed()
    {
        var wrong = Facts with
        {
            Functions = Facts.Functions.Select(f => f.Name == "aclrtMalloc" ? f with { Parameters = ["void**", "int", "aclrtMemMallocPolicy"] } : f).ToArray(),
            Constants = Facts.Constants.Select(c => c.Name == "ACL_ERROR_INVALID_PARAM" ? c with { Value = "100001" } : c).ToArray(),
            Structs = Facts.Structs.Select(s => s.Name == "aclmdlIODims" ? s with { Fields = ["size_t dimCount", "char name[128]", "int64_t dims[128]"] } : s).ToArray(),
        };

        var report = HeaderAbiCheck.Run(Include, wrong);

        Assert.False(report.Ok);
        Assert.Equal(["ACL_ERROR_INVALID_PARAM", "aclmdlIODims", "aclrtMalloc"], report.Mismatches);
    }

    [Fact]
    public void AConstQualifierTheHeadersDoNotHave_IsAMismatch()
    {
        // aclmdlGetDesc fills the description, so its pointer is not const; a fact saying const differs from the header.
        var wrong = Facts with
        {
            Functions = Facts.Functions.Select(f => f.Name == "aclmdlGetDesc" ? f with { Parameters = ["const aclmdlDesc*", "uint32_t"] } : f).ToArray(),
        };

        Assert.Equal(["aclmdlGetDesc"], HeaderAbiCheck.Run(Include, wrong).Mismatches);
    }

    [Fact]
    public void AMissingCoreFunction_IsNamed()
    {
        var folder = Directory.CreateTempSubdirectory("abi-");
        try
        {
            CopyFolder(Include, folder.FullName);
            var rt = Path.Combine(folder.FullName, "acl", "acl_rt.h");
            File.WriteAllText(rt, string.Join('\n', File.ReadAllLines(rt).Where(l => !l.Contains("aclrtMemset(", StringComparison.Ordinal))));

            var report = HeaderAbiCheck.Run(folder.FullName, Facts);

            Assert.Equal(["aclrtMemset"], report.MissingCore);
            Assert.False(report.Ok);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "AscendAio.sln")))
                return folder.FullName;
        throw new InvalidOperationException($"no AscendAio.sln above {AppContext.BaseDirectory}");
    }
}
