using System.Diagnostics;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Bundles;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Models;
using AscendAio.Export;
using AscendAio.Export.Checkpoint;
using AscendAio.Router;
using AscendAio.Router.Policies;

namespace AscendAio.Evaluation;

/// <summary>
/// Throughput only. The reference pair fits in CPU caches, so its speed gap is not the memory-bandwidth gap the
/// paper rests on. This replays the routing decisions recorded on the scenarios on a random-weight pair at the
/// paper's 1:7 size ratio (≈70M and ≈545M parameters, fp32, far beyond any cache): same model choice, same
/// strategy, the probe's pass where the policy probed, the request's prompt (its last <see cref="PromptTokens"/>
/// tokens) and up to <see cref="MaxTokens"/> new tokens. Accuracy is not measured: the weights are random.
/// </summary>
public sealed class BandwidthStudy(Device device, string cacheDirectory, string tokenizerDirectory)
{
    public const int PromptTokens = 32, MaxTokens = 16, RequestsPerRun = 3;

    /// <summary>Configurations replayed: the quantized baselines need quantized random bundles and are left out.</summary>
    public static readonly string[] Configs = ["static-small", "static-large", "small-pld", "large-pld", "draft-spec", "random", "oracle", "aio"];

    // VocabSize 1: the vocabulary is the copied tokenizer's, so every generated id decodes.
    public static readonly RandomCheckpointOptions SmallShape = new() { VocabSize = 1, Hidden = 1024, Intermediate = 2816, Layers = 6, Heads = 16, KvHeads = 4, MaxPositions = 256 };
    public static readonly RandomCheckpointOptions LargeShape = new() { VocabSize = 1, Hidden = 2048, Intermediate = 5632, Layers = 12, Heads = 16, KvHeads = 4, MaxPositions = 256 };

    public IReadOnlyList<BandwidthRun> Run(IReadOnlyDictionary<(string Config, string Workload), IReadOnlyList<RequestRecord>> records,
        Action<BenchProgress>? progress = null)
    {
        var chosen = records.Where(p => Configs.Contains(p.Key.Config) && p.Key.Workload is "A" or "B" or "C")
            .OrderBy(p => p.Key.Workload, StringComparer.Ordinal).ThenBy(p => Array.IndexOf(Configs, p.Key.Config)).ToList();
        if (chosen.Count == 0)
            return [];
        using var small = Load("bandwidth-small", SmallShape, progress);
        using var large = Load("bandwidth-large", LargeShape, progress);
        var runs = new List<BandwidthRun>();
        for (var i = 0; i < chosen.Count; i++)
        {
            var ((config, workload), requests) = chosen[i];
            runs.Add(Replay(config, workload, requests.Take(RequestsPerRun).ToList(), small, large));
            progress?.Invoke(new BenchProgress("bandwidth", i + 1, chosen.Count, $"bandwidth study: {config} on {workload}"));
        }
        return runs;
    }

    private static BandwidthRun Replay(string config, string workload, IReadOnlyList<RequestRecord> requests, LanguageModel small, LanguageModel large)
    {
        long tokens = 0, bytes = 0;
        var clock = Stopwatch.StartNew();
        foreach (var record in requests)
        {
            if (record.Timings.ProbePrefillMs > 0)
            {
                // The probe's one forward pass over the small model.
                using var probe = small.CreateSequence();
                probe.Prefill(Tail(small, small.Manifest.Templates.Probe ?? small.Manifest.Templates.Generation, record.Item.Request));
                bytes += probe.ForwardPasses * small.WeightBytes;
            }
            var model = record.Decision.Model.IsSmall() ? small : large;
            var strategy = record.Decision.Strategy is DraftSpeculativeDecoding && model == small ? DecodingStrategy.Plain : record.Decision.Strategy;
            var options = new GenerationOptions { MaxNewTokens = Math.Clamp(record.GeneratedTokens, 1, MaxTokens), Strategy = strategy };
            var result = Generator.Generate(model, Tail(model, model.Manifest.Templates.Generation, record.Item.Request), options,
                strategy is DraftSpeculativeDecoding ? small : null);
            tokens += result.Tokens.Length;
            bytes += result.Metrics.WeightBytesStreamed;
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var roles = requests.Select(r => r.Decision.Model.IsSmall() ? ModelRole.Small : ModelRole.Large).ToList();
        var names = new ModelNames([KeyValuePair.Create(ModelRole.Small, small.Name), KeyValuePair.Create(ModelRole.Large, large.Name)]);
        return new BandwidthRun(config, workload, tokens / Math.Max(seconds, 1e-9), tokens > 0 ? (double)bytes / tokens : 0,
            ConfigRunner.ModelShares(roles, roles.Count, names), ConfigRunner.SmallShare(roles, roles.Count));
    }

    private static int[] Tail(LanguageModel model, string template, string request)
    {
        var ids = model.Tokenizer.Encode(ModelBundle.Apply(template, request));
        return ids.Length <= PromptTokens ? ids : ids[^PromptTokens..];
    }

    private LanguageModel Load(string name, RandomCheckpointOptions shape, Action<BenchProgress>? progress)
    {
        var bundle = Path.Combine(cacheDirectory, name);
        if (!BundleManifest.IsCurrent(bundle))
        {
            progress?.Invoke(new BenchProgress("bandwidth", 0, 1, $"bandwidth study: writing {name} ({shape.Parameters / 1e6:F0} M random parameters, fp32), once"));
            var checkpoint = bundle + "-checkpoint";
            RandomCheckpoint.Write(checkpoint, shape with { TokenizerDirectory = tokenizerDirectory });
            BundleExporter.Export(new ExportOptions
            {
                CheckpointDirectory = checkpoint, OutputDirectory = bundle, ModelName = name,
                PrefillChunk = 32, VerifyK = 4, Gears = [256],
            });
            Directory.Delete(checkpoint, recursive: true);
        }
        return LanguageModel.Load(device, ModelBundle.Load(bundle), new LanguageModelOptions { MaxIdleCaches = 1 });
    }
}
