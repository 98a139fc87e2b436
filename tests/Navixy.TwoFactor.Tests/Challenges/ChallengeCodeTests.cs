using FsCheck;
using FsCheck.Fluent;
using Navixy.TwoFactor.Challenges;

namespace Navixy.TwoFactor.Tests.Challenges;

public class ChallengeCodeTests
{
    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property Generate_AnyAllowedLength_IsExactlyThatManyAsciiDigits() =>
        Prop.ForAll(Gen.Choose(ChallengeOptions.MinCodeLength, ChallengeOptions.MaxCodeLength).ToArbitrary(), length =>
        {
            var code = ChallengeCode.Generate(length);
            return code.Length == length && code.All(char.IsAsciiDigit) && ChallengeCode.IsWellFormed(code, length);
        });

    [TestCase(5)]
    [TestCase(11)]
    public void Generate_LengthOutsideRange_IsMisuse(int length) =>
        Assert.That(() => ChallengeCode.Generate(length), Throws.InstanceOf<ArgumentOutOfRangeException>());

    [Test]
    public void Generate_SixDigitCodes_StartWithZeroAboutOneTimeInTen()
    {
        const int Samples = 100_000;

        var leadingZeros = Enumerable.Range(0, Samples).Count(_ => ChallengeCode.Generate(6)[0] == '0');

        // Expected 10,000 with a standard deviation of about 95: a generator that dropped leading zeros
        // (or formatted without padding) lands far outside.
        Assert.That(leadingZeros, Is.InRange(9_000, 11_000));
    }

    [Test]
    public void Generate_EveryDigitPosition_UsesAllTenDigitsEvenly()
    {
        const int Samples = 50_000;
        var counts = new int[6, 10];
        for (var i = 0; i < Samples; i++)
        {
            var code = ChallengeCode.Generate(6);
            for (var position = 0; position < 6; position++)
            {
                counts[position, code[position] - '0']++;
            }
        }

        for (var position = 0; position < 6; position++)
        {
            for (var digit = 0; digit < 10; digit++)
            {
                // Expected 5,000 each, standard deviation about 67.
                Assert.That(counts[position, digit], Is.InRange(4_400, 5_600), $"digit {digit} at position {position}");
            }
        }
    }

    [TestCase("123456", 6, true)]
    [TestCase("000000", 6, true)]
    [TestCase("0123456789", 10, true)]
    [TestCase(null, 6, false)]
    [TestCase("", 6, false)]
    [TestCase("0", 6, false)]
    [TestCase("12345", 6, false)]
    [TestCase("1234567", 6, false)]
    [TestCase(" 123456", 6, false)]
    [TestCase("123456 ", 6, false)]
    [TestCase("１２３４５６", 6, false)]
    [TestCase("٠١٢٣٤٥", 6, false)]
    [TestCase("12345a", 6, false)]
    [TestCase("-12345", 6, false)]
    public void IsWellFormed_AcceptsOnlyExactlyNAsciiDigits(string? code, int length, bool expected) =>
        Assert.That(ChallengeCode.IsWellFormed(code, length), Is.EqualTo(expected));
}
