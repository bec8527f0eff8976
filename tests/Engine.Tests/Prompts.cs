namespace AscendAio.Engine.Tests;

/// <summary>Seeded token prompts: random (no n-gram repeats to speak of) and built from a repeated phrase.</summary>
internal static class Prompts
{
    public static int[] Random(int seed, int length, int firstToken, int vocab)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => random.Next(firstToken, vocab)).ToArray();
    }

    /// <summary>A phrase of <paramref name="phraseLength"/> tokens repeated to <paramref name="length"/>: long n-gram matches.</summary>
    public static int[] Repeating(int seed, int length, int phraseLength, int firstToken, int vocab)
    {
        var phrase = Random(seed, phraseLength, firstToken, vocab);
        return Enumerable.Range(0, length).Select(i => phrase[i % phraseLength]).ToArray();
    }
}
