// The tests swap Console.Out and Console.Error, which every test in the process shares.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
