using AscendAio.Engine.Acl;
using AscendAio.Engine.Models;
using AscendAio.Export;
using AscendAio.Router.Probing;
using AscendAio.TestSupport;

namespace AscendAio.Router.Tests;

/// <summary>The probe on the shipped ref-small checkpoint (models/ref-small, committed with the repo).</summary>
public sealed class RefSmallProbeTests
{
    private static readonly string Checkpoint = RepoPaths.File("models/ref-small");

    [Fact]
    public void Probe_OnRefSmall_PredictsTheCategoryOfFixedRequests()
    {
        Assert.True(File.Exists(Path.Combine(Checkpoint, "model.safetensors")), $"the ref-small checkpoint is missing from {Checkpoint}");
        (string Request, string Category)[] requests =
        [
            ("Write the body of the Tiny function solve(a, b): return the sum of a and b.", "code"),
            ("Write the body of the Tiny function f(n): return the product of i for i from 1 to n.", "code"),
            ("When was Tomas Brinley born?", "qa"),
            ("In which city does Alda Morven live? Options: A) Kelso B) Wexley C) Ilford D) Tarvin. Answer with the letter.", "qa"),
            ("Mia has 12 apples. Mia buys 5 more apples. How many apples does Mia have now?", "math"),
            ("Sam has 40 books. Then Sam gives away 15. Then the number of books becomes 3 times as large. How many books does Sam have now?", "math"),
        ];
        var root = TempDirectory.Create("ref-small");
        try
        {
            // A short context (one gear) keeps the export quick; the probe requests are short.
            BundleExporter.Export(new ExportOptions { CheckpointDirectory = Checkpoint, OutputDirectory = root, MaxContext = 128, Gears = [128], PrefillChunk = 32 });
            using var device = Device.Open();
            using var model = LanguageModel.Load(device, ModelBundle.Load(root));
            var probe = new IntentProbe(model);

            var predicted = requests.Select(r =>
            {
                using var run = probe.Run(r.Request);
                return (run.Result.Category, run.Result.Entropy);
            }).ToArray();

            Assert.Equal(requests.Select(r => r.Category), predicted.Select(p => p.Category));
            Assert.All(predicted, p => Assert.InRange(p.Entropy, 0, Math.Log(3)));
        }
        finally
        {
            TempDirectory.Delete(root);
        }
    }
}
