// AscendCL initialisation is process-wide; lifecycle tests need to see it exactly as the others leave it.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
