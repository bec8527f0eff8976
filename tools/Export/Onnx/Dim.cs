namespace AscendAio.Export.Onnx;

/// <summary>A graph input/output dimension: a fixed size, or a named symbolic one (ONNX dim_param).</summary>
public readonly record struct Dim(long Value, string? Symbol)
{
    public static Dim Named(string symbol) => new(-1, symbol);

    public static implicit operator Dim(long value) => new(value, null);

    public static implicit operator Dim(int value) => new(value, null);

    public override string ToString() => Symbol ?? Value.ToString();
}
