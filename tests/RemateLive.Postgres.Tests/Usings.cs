global using Xunit;

// The single-winner races open hundreds of connections and the restart tests run their own server:
// one test class at a time keeps the shared server below its connection limit.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
