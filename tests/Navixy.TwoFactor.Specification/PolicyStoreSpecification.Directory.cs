using NUnit.Framework;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Specification;

/// <summary>The directory listing and the version stamps of directory changes (policy.md §1), for every store.</summary>
public abstract partial class PolicyStoreSpecification
{
    [Test]
    public async Task List_WalksEveryPrincipalOnceInIdOrder_WithKindAccountOriginAndDemoFlag()
    {
        using var engine = NewEngine();
        var tenant = NewTenant();
        await engine.Account(tenant, 40, AccountOrigin.Imported);
        await engine.Account(tenant, 7, isDemo: true);
        await engine.SubUser(tenant, 3, 7);
        await engine.SubUser(tenant, 55, 40);
        await engine.Account(tenant, 20);

        var walked = new List<DirectoryEntry>();
        var pages = 0;
        long? after = 0;
        while (after is { } cursor)
        {
            var page = await engine.Directory.ListAsync(tenant, cursor, pageSize: 2) ?? throw new InvalidOperationException("a store failed");
            Assert.That(page.Entries, Has.Count.LessThanOrEqualTo(2));
            walked.AddRange(page.Entries);
            after = page.NextAfterId;
            pages++;
        }

        Assert.That(walked, Is.EqualTo(new[]
        {
            new DirectoryEntry(3, PrincipalKind.SubUser, 7, AccountOrigin.Created, true),
            new DirectoryEntry(7, PrincipalKind.Account, 7, AccountOrigin.Created, true),
            new DirectoryEntry(20, PrincipalKind.Account, 20, AccountOrigin.Created, false),
            new DirectoryEntry(40, PrincipalKind.Account, 40, AccountOrigin.Imported, false),
            new DirectoryEntry(55, PrincipalKind.SubUser, 40, AccountOrigin.Imported, false),
        }));
        Assert.That(pages, Is.EqualTo(3), "two full pages and a last one of one principal");
    }

    [Test]
    public async Task List_AfterAnId_StartsPastIt_AndALastFullPageHasNoCursor()
    {
        using var engine = NewEngine();
        var tenant = NewTenant();
        foreach (var id in new long[] { 5, 10, 15 })
        {
            await engine.Account(tenant, id);
        }

        var fromSeven = await engine.Directory.ListAsync(tenant, afterId: 7, pageSize: 2) ?? throw new InvalidOperationException("a store failed");
        var fromTen = await engine.Directory.ListAsync(tenant, afterId: 10, pageSize: 5) ?? throw new InvalidOperationException("a store failed");
        var whole = await engine.Directory.ListAsync(tenant, afterId: 0, pageSize: 3) ?? throw new InvalidOperationException("a store failed");
        var past = await engine.Directory.ListAsync(tenant, afterId: 15) ?? throw new InvalidOperationException("a store failed");

        Assert.Multiple(() =>
        {
            Assert.That(fromSeven.Entries.Select(e => e.Id), Is.EqualTo(new long[] { 10, 15 }));
            Assert.That(fromSeven.NextAfterId, Is.Null, "nothing follows 15");
            Assert.That(fromTen.Entries.Select(e => e.Id), Is.EqualTo(new long[] { 15 }));
            Assert.That(whole.Entries.Select(e => e.Id), Is.EqualTo(new long[] { 5, 10, 15 }));
            Assert.That(whole.NextAfterId, Is.Null);
            Assert.That(past.Entries, Is.Empty);
            Assert.That(past.NextAfterId, Is.Null);
        });
    }

    [Test]
    [Description("S7: the listing of one tenant never shows another's principals; a tenant never written to lists nothing")]
    public async Task S7_List_ShowsOnlyTheTenantsOwnPrincipals_AndRemovedOnesDisappear()
    {
        using var engine = NewEngine();
        var tenant = NewTenant();
        var other = NewTenant();
        await engine.Account(tenant, 1);
        await engine.Account(tenant, 2);
        await engine.SubUser(tenant, 3, 2);
        await engine.Account(other, 4);
        await engine.Directory.RemoveAsync(tenant, 2);

        var page = await engine.Directory.ListAsync(tenant) ?? throw new InvalidOperationException("a store failed");
        var fresh = await engine.Directory.ListAsync(NewTenant()) ?? throw new InvalidOperationException("a store failed");

        Assert.That(page.Entries.Select(e => e.Id), Is.EqualTo(new long[] { 1 }), "the removed account took its sub-user along");
        Assert.That(fresh, Is.EqualTo(new DirectoryPage([], null)));
        Assert.That(() => engine.Directory.ListAsync(tenant, pageSize: 0).AsTask(), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => engine.Directory.ListAsync(tenant, pageSize: TwoFactorOptions.MaxDirectoryPageSize + 1).AsTask(), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public async Task DirectoryChanges_CarryVersionStamps_ThatOrderThemAmongSettingsOperations()
    {
        using var engine = NewEngine();
        var tenant = NewTenant();

        var account = await engine.Account(tenant, 1);
        var defaultUpdate = await engine.Settings.UpdateDefaultAsync(tenant, Email);
        var subUser = await engine.Directory.RegisterSubUserAsync(tenant, 2, 1);
        var removal = await engine.Directory.RemoveAsync(tenant, 2);
        var updateAll = await engine.Update(tenant, SettingsTarget.All, Email);
        var refused = await engine.Directory.RegisterSubUserAsync(tenant, 1, 1);
        var missing = await engine.Directory.RemoveAsync(tenant, 99);

        long[] stamps = [account.Version, defaultUpdate.Version, subUser.Version, removal.Version, updateAll.Version];
        Assert.That(stamps, Is.Ordered.Ascending.And.Unique, string.Join(", ", stamps));
        Assert.That(stamps[0], Is.Positive);
        Assert.That(account.Version, Is.EqualTo(account.Account.Version));
        Assert.That((refused.Version, missing.Version), Is.EqualTo((0L, 0L)), "a refused change takes no stamp");
    }
}
