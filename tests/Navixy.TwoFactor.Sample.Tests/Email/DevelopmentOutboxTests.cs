using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Navixy.TwoFactor.Sample.Email;

namespace Navixy.TwoFactor.Sample.Tests.Email;

public class DevelopmentOutboxTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectoryName() =>
        _directory = Path.Combine(Path.GetTempPath(), "navixy-twofactor-sample-tests", Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Test]
    public async Task Deliver_WritesALabelledFileAndKeepsTheMessage()
    {
        var outbox = Create(keep: 10);

        var message = await outbox.DeliverAsync("fleet@acme.example", "Your code", "Code: 012345");

        var file = Directory.GetFiles(_directory).Single();
        var text = await File.ReadAllTextAsync(file);
        Assert.That(text, Does.Contain("DEVELOPMENT OUTBOX: stand-in for email"));
        Assert.That(text, Does.Contain("To:      fleet@acme.example"));
        Assert.That(text, Does.Contain("Code: 012345"));
        Assert.That(outbox.Recent, Is.EqualTo(new[] { message }));
        Assert.That(message.ToString(), Does.Not.Contain("012345"));
    }

    [Test]
    public async Task Deliver_KeepsOnlyTheMostRecentMessagesInMemory()
    {
        var outbox = Create(keep: 2);

        for (var i = 0; i < 5; i++)
        {
            await outbox.DeliverAsync("a@example.com", "Message " + i, "body");
        }

        Assert.That(outbox.Recent.Select(m => m.Subject), Is.EqualTo(new[] { "Message 3", "Message 4" }));
        Assert.That(Directory.GetFiles(_directory), Has.Length.EqualTo(5));
    }

    [Test]
    public async Task Deliver_CreatesTheFolderForTheCurrentUserOnly()
    {
        var outbox = Create(keep: 1);

        await outbox.DeliverAsync("a@example.com", "s", "b");

        if (OperatingSystem.IsWindows())
        {
            Assert.That(Directory.Exists(_directory), Is.True);
        }
        else
        {
            Assert.That(File.GetUnixFileMode(_directory), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        }
    }

    private DevelopmentOutbox Create(int keep) => new(
        new FakeTimeProvider(),
        Options.Create(new OutboxOptions { Directory = _directory, WriteToConsole = false, KeepInMemory = keep }));
}
