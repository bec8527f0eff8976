namespace AscendAio.BindGen;

/// <summary>Input the generator cannot translate faithfully; the message names the header, declaration or setting.</summary>
public sealed class GeneratorException(string message) : Exception(message);
