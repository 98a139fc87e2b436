namespace Navixy.TwoFactor.Resolution;

/// <summary>A resolver that decides from an <see cref="IPrincipalPolicyStore"/> with the pure resolver, and says which store.</summary>
internal interface IStoreBackedResolver
{
    /// <summary>The store the resolver reads; resolving its snapshot with the pure resolver gives the resolver's answer.</summary>
    IPrincipalPolicyStore Policies { get; }
}
