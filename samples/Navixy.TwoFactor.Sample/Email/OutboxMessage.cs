namespace Navixy.TwoFactor.Sample.Email;

/// <summary>A message the sample would have emailed.</summary>
/// <param name="SentAt">When it was handed to the outbox.</param>
/// <param name="To">The recipient's address.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="Body">The text; for a second-step message it holds the code, so it is never logged.</param>
internal sealed record OutboxMessage(DateTimeOffset SentAt, string To, string Subject, string Body)
{
    /// <summary>Describes the message without its body.</summary>
    public override string ToString() => $"message to {To}: {Subject}";
}
