using AscendAio.Engine.Generation;

namespace AscendAio.Host.OpenAi;

public static class FinishReasons
{
    /// <summary>OpenAI's finish reasons: "stop" for end-of-sequence and stop strings, "length" for the token budget or the context.</summary>
    public static string ToOpenAi(FinishReason finish) => finish switch
    {
        FinishReason.Length => "length",
        FinishReason.Cancelled => "cancelled",
        _ => "stop",
    };
}
