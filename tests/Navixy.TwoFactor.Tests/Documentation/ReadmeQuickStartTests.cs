using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Settings;

namespace Navixy.TwoFactor.Tests.Documentation;

/// <summary>Runs README's quick start and checks that it prints what README says it prints.</summary>
public class ReadmeQuickStartTests
{
    [Test]
    public async Task QuickStart_PrintsTheLinesReadmeShows()
    {
        var services = new ServiceCollection().AddNavixyTwoFactor().Services.BuildServiceProvider();
        var directory = services.GetRequiredService<ITwoFactorDirectory>();
        var settings = services.GetRequiredService<ITwoFactorSettings>();
        var resolver = services.GetRequiredService<ITwoFactorResolver>();

        var dealer = new TenantId(1);
        await directory.RegisterAccountAsync(dealer, 231432);
        await directory.RegisterSubUserAsync(dealer, 231433, accountId: 231432);
        await directory.RegisterAccountAsync(dealer, 500, isDemo: true);
        await settings.EnforceForEveryoneAsync(dealer, TwoFactorSetting.Allowed(FactorTypes.Email));

        var answer = await resolver.ResolveAsync(dealer, 231433);
        var demo = await resolver.ResolveAsync(dealer, 500);
        string[] printed = [$"{answer.Outcome} {answer.Factors}: {answer.Explanation}", $"{demo.Outcome} {demo.Reason}: {demo.Explanation}"];

        Assert.That(printed, Is.EqualTo(ReadmeQuickStartComments()));
    }

    private static string[] ReadmeQuickStartComments()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var start = readme.IndexOf("## Quick start", StringComparison.Ordinal);
        var block = readme[start..readme.IndexOf("```\n", readme.IndexOf("```csharp", start, StringComparison.Ordinal) + 9, StringComparison.Ordinal)];
        return Regex.Matches(block, @"^// (.+)$", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value)
            .Where(line => line.StartsWith("Required", StringComparison.Ordinal) || line.StartsWith("NotRequired", StringComparison.Ordinal))
            .ToArray();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Navixy.TwoFactor.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root was not found above the test directory.");
    }
}
