// The console host `aio`: the only place in the repo that touches Console.
using AscendAio.Cli;

return CommandTable.Run(args);
