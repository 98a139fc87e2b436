using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Tests.Architecture;

/// <summary>Dependencies point one way (issue "One set of second-step rules", item 6), checked on the compiled assembly.</summary>
public class LayeringTests
{
    private static readonly System.Reflection.Assembly Library = typeof(TenantId).Assembly;

    [Test]
    [Description("Policy ← Resolution ← Stores ← Settings / Challenges / Totp ← Administration ← DependencyInjection; Diagnostics, Cryptography and the options beside")]
    public void Library_HasNoBackwardReference()
    {
        var violations = LayerMap.Library.FindBackwardReferences(Library);

        Assert.That(violations, Is.Empty, string.Join(Environment.NewLine, violations));
    }

    [Test]
    public void Library_EveryNamespaceIsInTheLayerMap()
    {
        var unmapped = Library.GetTypes()
            .Select(t => t.Namespace)
            .Where(ns => ns is not null && ns.StartsWith("Navixy", StringComparison.Ordinal) && LayerMap.Library.LayerOf(ns) is null)
            .Distinct()
            .ToArray();

        Assert.That(unmapped, Is.Empty, "a new namespace must be given its place among the layers");
    }

    [Test]
    public void Library_HostFacingRegistrationIsTheOnlyCodeOutsideTheLayers()
    {
        var outside = Library.GetTypes()
            .Where(t => t.IsPublic || t.IsNestedPublic)
            .Select(t => t.Namespace)
            .Where(ns => ns is not null && !ns.StartsWith("Navixy.TwoFactor", StringComparison.Ordinal))
            .Distinct()
            .ToArray();

        Assert.That(outside, Is.EquivalentTo(new[] { "Microsoft.Extensions.DependencyInjection" }));
    }

    [Test]
    public void Checker_FindsABackwardReference()
    {
        var map = new LayerMap("Navixy.TwoFactor.Tests.Architecture.Fixture", new Dictionary<string, string[]>
        {
            ["Policy"] = [],
            ["Settings"] = ["Policy"],
            ["Challenges"] = ["Policy"],
        });

        var violations = map.FindBackwardReferences(typeof(LayeringTests).Assembly);

        Assert.That(violations, Has.Count.EqualTo(2));
        Assert.That(violations, Has.One.StartsWith("Navixy.TwoFactor.Tests.Architecture.Fixture.Policy.Setting").And.EndsWith("Fixture.Settings"));
        Assert.That(violations, Has.One.StartsWith("Navixy.TwoFactor.Tests.Architecture.Fixture.Challenges.Sibling").And.EndsWith("Fixture.Settings"));
    }

    [Test]
    public void SourceFiles_NoneMuchOverTheHouseSize()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var large = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => (Path: Path.GetRelativePath(src, path), Lines: File.ReadLines(path).Count()))
            .Where(file => file.Lines > 350)
            .Select(file => $"{file.Path} ({file.Lines} lines)")
            .ToArray();

        Assert.That(large, Is.Empty, "one job per type: split files over 350 lines");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Navixy.TwoFactor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Navixy.TwoFactor.sln not found above the test directory.");
    }
}
