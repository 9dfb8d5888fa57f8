using System.Collections.Concurrent;
using LiteDB;

namespace Sensen.Edge.Vault;

/// <summary>
/// Where LiteDB instances go after they read an impossible page. LiteDB 5.0.21 poisons its engine then
/// (EngineState.Validate rethrows the first error on every call, Rollback included), so the transaction that was
/// running is never released; when it becomes unreachable, its finalizer (TransactionService.Finalize →
/// DiscardDirtyPages) throws "discarded page must be writable" on the GC thread and kills the process. Keeping
/// the instance reachable, undisposed, prevents that; the caller closes the file streams itself. Process-wide on
/// purpose (the exception to "no mutable static state"): the finalizer is process-wide too. It only grows on
/// proven corruption, a rare event, by one small object graph each time.
/// </summary>
internal static class PoisonedEngines
{
    private static readonly ConcurrentBag<LiteDatabase> Kept = [];

    public static void Keep(LiteDatabase database) => Kept.Add(database);
}
