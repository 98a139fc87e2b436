using Microsoft.Extensions.Options;

namespace Navixy.TwoFactor.Sample.Email;

/// <summary>The development outbox. Configuration section <c>Sample:Outbox</c>.</summary>
internal sealed class OutboxOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Sample:Outbox";

    /// <summary>
    /// Where each message is written as a text file. Default: empty, meaning <c>outbox</c> in the app's own
    /// folder (beside the built assembly, under <c>bin/</c>, so never committed). Created readable by the
    /// current user only on Unix.
    /// </summary>
    public string Directory { get; set; } = string.Empty;

    /// <summary>Whether each message is also printed to standard output. Default <see langword="true"/>.</summary>
    public bool WriteToConsole { get; set; } = true;

    /// <summary>How many recent messages are kept in memory for <see cref="DevelopmentOutbox.Recent"/>. Default 100; range 1 to 10,000.</summary>
    public int KeepInMemory { get; set; } = 100;

    /// <summary>The folder messages go to.</summary>
    public string ResolveDirectory() => string.IsNullOrWhiteSpace(Directory)
        ? Path.Combine(AppContext.BaseDirectory, "outbox")
        : Path.GetFullPath(Directory);
}

/// <summary>Validates <see cref="OutboxOptions"/> at start-up.</summary>
internal sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.KeepInMemory is < 1 or > 10_000
            ? ValidateOptionsResult.Fail($"{OutboxOptions.Section}:{nameof(options.KeepInMemory)} must be between 1 and 10000; it is {options.KeepInMemory}.")
            : ValidateOptionsResult.Success;
    }
}
