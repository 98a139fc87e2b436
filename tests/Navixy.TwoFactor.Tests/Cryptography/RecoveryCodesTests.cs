using Navixy.TwoFactor.Cryptography;

namespace Navixy.TwoFactor.Tests.Cryptography;

public class RecoveryCodesTests
{
    private const int FastIterations = 1_000;

    [Test]
    public void Create_DisplaysFiveGroupsAndStoresNoPlainSecret()
    {
        var (display, stored) = RecoveryCodes.Create(FastIterations);

        Assert.That(display, Does.Match("^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$"));
        Assert.That(stored.LookupId, Is.EqualTo(display[..4]));
        Assert.That(stored.Salt, Has.Length.EqualTo(16));
        Assert.That(stored.ToString(), Does.Not.Contain(display.Replace("-", "", StringComparison.Ordinal)[4..]));
    }

    [Test]
    public void Matches_TheCodeInAnyCaseWithOrWithoutDashes_AndNotAnother()
    {
        var (display, stored) = RecoveryCodes.Create(FastIterations);
        var (otherDisplay, _) = RecoveryCodes.Create(FastIterations);

        Assert.That(RecoveryCodes.Matches(RecoveryCodes.Normalize(display)!, stored), Is.True);
        Assert.That(RecoveryCodes.Matches(RecoveryCodes.Normalize(display.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal))!, stored), Is.True);
        Assert.That(RecoveryCodes.Matches(RecoveryCodes.Normalize(otherDisplay)!, stored), Is.False);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("ABCD")]
    [TestCase("ABCD-EFGH-JKMN-PQRS-TVWX-YZ01")]
    [TestCase("ÄBCD-EFGH-JKMN-PQRS-TVWX")]
    [TestCase("ABCD-EFGH-JKMN-PQRS-TVW#")]
    public void Normalize_InputThatCannotBeACode_IsNull(string? input)
    {
        Assert.That(RecoveryCodes.Normalize(input), Is.Null);
    }

    [Test]
    public void Normalize_TenMegabytes_IsNullWithoutWork()
    {
        Assert.That(RecoveryCodes.Normalize(new string('A', 10 * 1024 * 1024)), Is.Null);
    }

    [Test]
    public void Create_ManyCodes_AreDistinct()
    {
        var codes = Enumerable.Range(0, 200).Select(_ => RecoveryCodes.Create(1).Display).ToHashSet();
        Assert.That(codes, Has.Count.EqualTo(200));
    }
}
