namespace Navixy.TwoFactor.Sample.Tests.Panel;

/// <summary>The two updates; a fresh server for every test.</summary>
public class PanelSettingsUpdateTests
{
    private const string Email = """{"type":"allowed","factor_types":["email"]}""";
    private const string Disallowed = """{"type":"disallowed"}""";

    private SampleServer _server = null!;
    private string _acme = null!;
    private string _beacon = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _server = await SampleServer.StartAsync();
        _acme = await _server.PanelHashAsync("acme.admin");
        _beacon = await _server.PanelHashAsync("beacon.admin");
    }

    [TearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task UpdateAll_SetsEveryAccountOfTheDealer_AndNoAccountOfTheOther()
    {
        var response = await UpdateAsync(_acme, new { type = "all" }, new { type = "allowed", factor_types = new[] { "email" } });

        Assert.That(response.Text, Is.EqualTo("""{"success":true}"""));
        foreach (var id in new[] { 101, 104, 105, 106 })
        {
            Assert.That(await ReadAsync(_acme, id), Is.EqualTo(Email), $"dealer 1 account {id}");
        }

        Assert.That(await ReadAsync(_beacon, 101), Is.EqualTo(Disallowed));
        Assert.That(await ReadAsync(_beacon, 102), Is.EqualTo(Disallowed));
    }

    [Test]
    public async Task UpdateSelected_SetsExactlyTheListedAccounts()
    {
        var response = await UpdateAsync(_acme, new { type = "selected", ids = new[] { 104, 106 } }, new { type = "allowed", factor_types = new[] { "email" } });

        Assert.That(response.Success, Is.True, response.Text);
        Assert.That(await ReadAsync(_acme, 104), Is.EqualTo(Email));
        Assert.That(await ReadAsync(_acme, 106), Is.EqualTo(Email));
        Assert.That(await ReadAsync(_acme, 101), Is.EqualTo(Disallowed));
        Assert.That(await ReadAsync(_beacon, 101), Is.EqualTo(Disallowed));
    }

    [Test]
    public async Task UpdateSelected_AfterUpdateAll_OverridesItForThatAccount()
    {
        await UpdateAsync(_acme, new { type = "all" }, new { type = "allowed", factor_types = new[] { "email" } });

        await UpdateAsync(_acme, new { type = "selected", ids = new[] { 106 } }, new { type = "disallowed" });

        Assert.That(await ReadAsync(_acme, 106), Is.EqualTo(Disallowed));
        Assert.That(await ReadAsync(_acme, 101), Is.EqualTo(Email));
    }

    [Test]
    public async Task UpdateSelected_SameIdInOtherDealer_ChangesOnlyThisDealersAccount()
    {
        await UpdateAsync(_beacon, new { type = "selected", ids = new[] { 101 } }, new { type = "allowed", factor_types = new[] { "email" } });

        Assert.That(await ReadAsync(_beacon, 101), Is.EqualTo(Email));
        Assert.That(await ReadAsync(_acme, 101), Is.EqualTo(Disallowed));
    }

    [Test]
    public async Task Update_TwiceTheSame_LeavesTheSameState()
    {
        var settings = new { type = "allowed", factor_types = new[] { "email" } };
        await UpdateAsync(_acme, new { type = "selected", ids = new[] { 101 } }, settings);
        var once = await SettingsSnapshot.TakeAsync(_server);

        var again = await UpdateAsync(_acme, new { type = "selected", ids = new[] { 101 } }, settings);

        Assert.That(again.Success, Is.True);
        Assert.That(await SettingsSnapshot.TakeAsync(_server), Is.EqualTo(once));
    }

    [Test]
    public async Task Update_DuplicateFactorTypes_AreOneFactor()
    {
        await UpdateAsync(_acme, new { type = "selected", ids = new[] { 101 } }, new { type = "allowed", factor_types = new[] { "email", "email" } });

        Assert.That(await ReadAsync(_acme, 101), Is.EqualTo(Email));
    }

    [Test]
    public async Task Update_DisallowedWithFactorTypes_IgnoresThem()
    {
        await UpdateAsync(_acme, new { type = "selected", ids = new[] { 101 } }, new { type = "allowed", factor_types = new[] { "email" } });

        var response = await UpdateAsync(_acme, new { type = "selected", ids = new[] { 101 } }, new { type = "disallowed", factor_types = new[] { "email" } });

        Assert.That(response.Success, Is.True, response.Text);
        Assert.That(await ReadAsync(_acme, 101), Is.EqualTo(Disallowed));
    }

    [Test]
    public async Task DefaultUpdate_ChangesTheDefaultButNoExistingAccount()
    {
        var response = await _server.PostAsync(
            "panel/user/mfa/settings/default/update",
            new { settings = new { type = "allowed", factor_types = new[] { "email" } } },
            _acme);

        Assert.That(response.Text, Is.EqualTo("""{"success":true}"""));
        var defaults = await _server.PostAsync("panel/user/mfa/settings/default/read", new { }, _acme);
        Assert.That(defaults.Value, Is.EqualTo(Email));
        Assert.That(await ReadAsync(_acme, 101), Is.EqualTo(Disallowed));
        var otherDefaults = await _server.PostAsync("panel/user/mfa/settings/default/read", new { }, _beacon);
        Assert.That(otherDefaults.Value, Is.EqualTo(Disallowed));
    }

    private Task<WireResponse> UpdateAsync(string hash, object target, object settings) =>
        _server.PostAsync("panel/user/mfa/settings/update", new { target, settings }, hash);

    private async Task<string> ReadAsync(string hash, long userId)
    {
        var response = await _server.PostAsync("panel/user/mfa/settings/read", new { user_id = userId }, hash);
        Assert.That(response.Success, Is.True, response.Text);
        return response.Value;
    }
}
