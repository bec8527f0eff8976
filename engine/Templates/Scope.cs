namespace AscendAio.Engine.Templates;

/// <summary>Variables of one level: the render's globals, a for loop (shared by its iterations, as in the reference), or a macro call.</summary>
internal sealed class Scope(Scope? parent, Dictionary<string, Value>? variables = null)
{
    private readonly Dictionary<string, Value> _variables = variables ?? new Dictionary<string, Value>();

    public Value Lookup(string name)
    {
        for (var s = this; s is not null; s = s.Parent)
            if (s._variables.TryGetValue(name, out var v)) return v;
        return Value.Undefined;
    }

    public void Set(string name, Value value) => _variables[name] = value;

    public Scope? Parent { get; } = parent;
}
