namespace Navixy.TwoFactor.Challenges;

/// <summary>
/// Delivers an email code; supplied by the host (register with <c>TwoFactorBuilder.AddEmailCodeSender&lt;T&gt;()</c>
/// or as a singleton <see cref="IEmailCodeSender"/>). The engine registers no default: without one, start answers
/// <see cref="ChallengeStartOutcome.FactorUnavailable"/> for principals that need email codes.
/// </summary>
/// <remarks>
/// Look up the address of <see cref="EmailCodeMessage.PrincipalId"/> in <see cref="EmailCodeMessage.Tenant"/>
/// and send the code. Throw when the message cannot be handed over: the engine then withdraws the challenge and
/// answers <c>DeliveryFailed</c>. The sender is resolved once, as a singleton. Never put the code into an
/// exception message or a log; the engine logs only the exception's type.
/// </remarks>
public interface IEmailCodeSender
{
    /// <summary>Sends one code.</summary>
    /// <param name="message">Who to send to, the code and until when it is valid.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    ValueTask SendAsync(EmailCodeMessage message, CancellationToken cancellationToken);
}
