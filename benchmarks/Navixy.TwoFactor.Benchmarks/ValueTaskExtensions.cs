namespace Navixy.TwoFactor.Benchmarks;

internal static class ValueTaskExtensions
{
    /// <summary>The in-memory stores complete synchronously; take the result without allocating a Task.</summary>
    public static T Wait<T>(this ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    public static void Wait(this ValueTask task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            task.AsTask().GetAwaiter().GetResult();
        }
    }
}
