using AscendAio.Bindings;

namespace AscendAio.Engine.Acl;

/// <summary>
/// Process-wide <c>aclInit</c>/<c>aclFinalize</c>, reference-counted by the open <see cref="Device"/>s:
/// AscendCL is initialised once per process, so every device shares one initialisation.
/// </summary>
internal static unsafe class AclRuntime
{
    private static readonly Lock Gate = new();
    private static int _users;

    public static void Acquire(string? configPath)
    {
        lock (Gate)
        {
            if (_users == 0)
            {
                if (configPath is not null && !File.Exists(configPath))
                    throw new FileNotFoundException($"AscendCL config file '{configPath}' does not exist.", configPath);
                var status = configPath is null ? AclRt.aclInit(null) : InitWith(configPath);
                // Another component of the process may have initialised AscendCL already; that is fine.
                if (status != AclBase.ACL_SUCCESS && status != AclBase.ACL_ERROR_REPEAT_INITIALIZE)
                    throw AclException.FromStatus(status, nameof(AclRt.aclInit));
            }
            _users++;
        }
    }

    public static void Release()
    {
        lock (Gate)
        {
            if (_users == 0)
                return;
            if (--_users == 0)
                _ = AclRt.aclFinalize();
        }
    }

    private static int InitWith(string configPath)
    {
        using var path = new Utf8Text(configPath);
        return AclRt.aclInit(path.Pointer);
    }
}
