namespace Navixy.TwoFactor.Stores.Tracing;

/// <summary>A store that wraps another (the span-giving decorators), so that a capability of the wrapped store is still found.</summary>
internal interface IStoreDecorator
{
    /// <summary>The wrapped store.</summary>
    object Inner { get; }
}

/// <summary>Finds the store behind the decorators.</summary>
internal static class StoreDecorators
{
    /// <summary>
    /// The innermost store behind <paramref name="store"/>: a service asks it for an optional capability (an audited or
    /// combined operation) that the decorators do not forward. Such a call gets no store span of its own.
    /// </summary>
    public static object Unwrap(object store)
    {
        while (store is IStoreDecorator decorator)
        {
            store = decorator.Inner;
        }

        return store;
    }

    /// <summary>Whether two stores are the same object behind their decorators.</summary>
    public static bool SameStore(object first, object second) => ReferenceEquals(Unwrap(first), Unwrap(second));
}
