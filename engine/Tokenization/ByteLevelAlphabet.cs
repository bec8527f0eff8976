namespace AscendAio.Engine.Tokenization;

/// <summary>
/// GPT-2's byte-to-character table used by byte-level BPE: printable Latin-1 bytes map to themselves, the other
/// 68 bytes (controls, space, 0x7F-0xA0, 0xAD) to U+0100 onward in byte order, so a space is 'Ġ' and '\n' is 'Ċ'.
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = Build();
    private static readonly Dictionary<char, byte> CharToByte = Enumerable.Range(0, 256).ToDictionary(b => ByteToChar[b], b => (byte)b);

    public static char Map(byte b) => ByteToChar[b];

    /// <summary>A string in the byte-level alphabet: its UTF-8 bytes, each mapped to one character.</summary>
    public static string Encode(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
            chars[i] = ByteToChar[bytes[i]];
        return new string(chars);
    }

    /// <summary>
    /// Appends the bytes a byte-level token stands for; false (nothing appended) when a character is outside the
    /// alphabet, e.g. an added token written as plain text.
    /// </summary>
    public static bool TryDecode(string token, List<byte> output)
    {
        foreach (var c in token)
        {
            if (!CharToByte.ContainsKey(c))
                return false;
        }
        foreach (var c in token)
            output.Add(CharToByte[c]);
        return true;
    }

    /// <summary>All 256 single-byte symbols, in byte order.</summary>
    public static IEnumerable<string> Symbols() => ByteToChar.Select(c => c.ToString());

    private static char[] Build()
    {
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }
}
