using System.Text.Json;
using Google.Protobuf;

namespace AscendAio.TestSupport;

/// <summary>
/// Writes a small SentencePiece BPE model (tokenizer.model, sentencepiece ModelProto wire format written field by
/// field) plus a tokenizer_config.json that adds the team's special tokens after the model's pieces, as Llama
/// checkpoints do. Pieces: &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt;, "▁", the letters a-z and a few merged pieces (higher score merges first).
/// </summary>
public static class TinySentencePiece
{
    public const string Space = "\u2581";
    public static readonly string[] MergedPieces = ["th", "he", "the", Space + "the", "in", "an", "and", Space + "and", "er"];

    /// <summary>Writes tokenizer.model and tokenizer_config.json; returns the number of model pieces.</summary>
    public static int Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var pieces = new List<(string Piece, float Score, int Type)> { ("<unk>", 0, 2), ("<s>", 0, 3), ("</s>", 0, 3) };
        for (var i = 0; i < MergedPieces.Length; i++)
            pieces.Add((MergedPieces[i], -i, 1));
        pieces.Add((Space, -100, 1));
        for (var c = 'a'; c <= 'z'; c++)
            pieces.Add((c.ToString(), -100 - (c - 'a'), 1));

        using (var file = File.Create(Path.Combine(directory, "tokenizer.model")))
        {
            var output = new CodedOutputStream(file);
            foreach (var (piece, score, type) in pieces)
                WriteMessage(output, 1, m => { m.WriteTag(1, WireFormat.WireType.LengthDelimited); m.WriteString(piece);
                    m.WriteTag(2, WireFormat.WireType.Fixed32); m.WriteFloat(score);
                    m.WriteTag(3, WireFormat.WireType.Varint); m.WriteInt32(type); });
            WriteMessage(output, 2, m => {                       // TrainerSpec
                m.WriteTag(3, WireFormat.WireType.Varint); m.WriteInt32(2);         // model_type = BPE
                m.WriteTag(4, WireFormat.WireType.Varint); m.WriteInt32(pieces.Count);
                m.WriteTag(40, WireFormat.WireType.Varint); m.WriteInt32(0);        // unk_id
                m.WriteTag(41, WireFormat.WireType.Varint); m.WriteInt32(1);        // bos_id
                m.WriteTag(42, WireFormat.WireType.Varint); m.WriteInt32(2);        // eos_id
                m.WriteTag(43, WireFormat.WireType.Varint); m.WriteInt32(-1); });   // pad_id
            WriteMessage(output, 3, m => {                       // NormalizerSpec
                m.WriteTag(1, WireFormat.WireType.LengthDelimited); m.WriteString("identity");
                m.WriteTag(3, WireFormat.WireType.Varint); m.WriteBool(true);       // add_dummy_prefix
                m.WriteTag(4, WireFormat.WireType.Varint); m.WriteBool(false);      // remove_extra_whitespaces
                m.WriteTag(5, WireFormat.WireType.Varint); m.WriteBool(true); });   // escape_whitespaces
            output.Flush();
        }

        var decoder = new Dictionary<string, object>
        {
            ["1"] = new { content = "<s>", special = true },
            ["2"] = new { content = "</s>", special = true },
        };
        for (var i = 0; i < TinyTokenizer.SpecialTokens.Length; i++)
            decoder[(pieces.Count + i).ToString()] = new { content = TinyTokenizer.SpecialTokens[i], special = true };
        var config = new Dictionary<string, object> { ["added_tokens_decoder"] = decoder, ["bos_token"] = "<s>", ["eos_token"] = "</s>" };
        File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), JsonSerializer.Serialize(config));
        return pieces.Count;
    }

    private static void WriteMessage(CodedOutputStream output, int field, Action<CodedOutputStream> body)
    {
        using var buffer = new MemoryStream();
        var inner = new CodedOutputStream(buffer);
        body(inner);
        inner.Flush();
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(buffer.ToArray()));
    }
}
