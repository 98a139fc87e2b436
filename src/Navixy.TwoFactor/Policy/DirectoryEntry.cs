namespace Navixy.TwoFactor.Policy;

/// <summary>One principal as the directory lists it (policy.md §1): what it is, which account decides for it, and that account's origin and demo flag.</summary>
/// <param name="Id">The principal's id.</param>
/// <param name="Kind">An account or a sub-user.</param>
/// <param name="AccountId">The account that decides for the principal: its own id for an account, the owner's for a sub-user.</param>
/// <param name="Origin">How the account (for a sub-user: its account) came to exist.</param>
/// <param name="IsDemo">Whether the account (for a sub-user: its account) is a demo account, which R1 exempts.</param>
public readonly record struct DirectoryEntry(long Id, PrincipalKind Kind, long AccountId, AccountOrigin Origin, bool IsDemo);
