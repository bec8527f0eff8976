using System.Runtime.CompilerServices;
using AscendAio.Bindings;

namespace AscendAio.Engine.Acl;

/// <summary>
/// A failed AscendCL call: the native error code, the function that returned it, and the runtime's own
/// message from <c>aclGetRecentErrMsg</c>. The one exception type for every native failure.
/// </summary>
public sealed class AclException : Exception
{
    public AclException(int code, string function, string? nativeMessage)
        : base(Format(code, function, nativeMessage))
    {
        Code = code;
        Function = function;
        NativeMessage = nativeMessage ?? "";
    }

    /// <summary>The aclError value (e.g. 100000 = ACL_ERROR_INVALID_PARAM).</summary>
    public int Code { get; }

    /// <summary>The AscendCL function that failed, e.g. <c>aclrtMemcpy</c>.</summary>
    public string Function { get; }

    /// <summary>The text from <c>aclGetRecentErrMsg</c>, empty when the runtime gave none.</summary>
    public string NativeMessage { get; }

    /// <summary>
    /// The single choke point for native statuses: throws <see cref="AclException"/> unless
    /// <paramref name="status"/> is ACL_SUCCESS. The function name is taken from the call expression.
    /// </summary>
    public static void Check(int status, [CallerArgumentExpression(nameof(status))] string call = "")
    {
        if (status != AclBase.ACL_SUCCESS)
            throw FromStatus(status, FunctionName(call));
    }

    /// <summary>Builds the exception for a non-success status, reading the runtime's recent message.</summary>
    public static AclException FromStatus(int status, string function) =>
        new(status, function, RecentMessage());

    /// <summary>The calling thread's most recent AscendCL error text, or null.</summary>
    public static unsafe string? RecentMessage()
    {
        var text = AclRt.aclGetRecentErrMsg();
        return text == null ? null : new string(text);
    }

    internal static string FunctionName(string call)
    {
        var paren = call.IndexOf('(');
        var head = paren < 0 ? call : call[..paren];
        var dot = head.LastIndexOf('.');
        return (dot < 0 ? head : head[(dot + 1)..]).Trim();
    }

    private static string Format(int code, string function, string? nativeMessage) =>
        string.IsNullOrWhiteSpace(nativeMessage)
            ? $"{function} failed with aclError {code}"
            : $"{function} failed with aclError {code}: {nativeMessage.Trim()}";
}
