using System.Runtime.InteropServices;
using System.Text;

namespace AscendAio.Engine.Acl;

/// <summary>A NUL-terminated UTF-8 copy of a string in native memory, for <c>const char*</c> parameters.</summary>
internal readonly unsafe struct Utf8Text : IDisposable
{
    public Utf8Text(string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        Pointer = (sbyte*)NativeMemory.Alloc((nuint)length + 1);
        var bytes = new Span<byte>(Pointer, length + 1);
        Encoding.UTF8.GetBytes(text, bytes);
        bytes[length] = 0;
        Length = length;
    }

    public sbyte* Pointer { get; }

    public int Length { get; }

    public void Dispose() => NativeMemory.Free(Pointer);

    /// <summary>Reads a NUL-terminated UTF-8 string; null pointer gives an empty string.</summary>
    public static string Read(sbyte* text) => text == null ? "" : Marshal.PtrToStringUTF8((nint)text) ?? "";
}
