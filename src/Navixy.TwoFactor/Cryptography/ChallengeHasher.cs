using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Cryptography;

/// <summary>
/// Keyed hashing of challenge tokens and codes (security.md items 2 and 6). A token is stored only as
/// HMAC-SHA256(token key, token); a code only as HMAC-SHA256(code key, token hash || code). Both keys are derived
/// from the key material and are never in the store, so a reader of the store can neither recover a live code
/// (a plain hash of 10^6 codes falls to brute force; a keyed one does not) nor confirm a guessed token.
/// </summary>
/// <remarks>
/// Every token names the key id it was made under (<see cref="ChallengeToken.KeyIdOf"/>), and its hash and its codes'
/// digests are keyed by that key's derived keys, so a challenge, its codes and the step-up it grants outlive a change of
/// the primary key as long as the old key stays in the ring (security.md item 36). A token naming a key the ring does not
/// hold fails closed: it hashes to a random value no challenge has (answered and audited as an unknown token), and a
/// warning names the key id.
/// </remarks>
internal sealed class ChallengeHasher
{
    /// <summary>The length of a token hash and of a code digest, in bytes.</summary>
    public const int HashLength = 32;

    private readonly byte[]?[] _tokenKeys;
    private readonly byte[]?[] _codeKeys;
    private readonly byte _primary;
    private readonly ILogger _logger;

    public ChallengeHasher(TwoFactorKeyRing keys, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _tokenKeys = keys.DeriveKeys("challenge-token/v1");
        _codeKeys = keys.DeriveKeys("email-code/v1");
        _primary = keys.PrimaryKeyId;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(TwoFactorLog.Category);
    }

    /// <summary>A new token for a challenge of <paramref name="factor"/>, naming the primary key.</summary>
    public string CreateToken(FactorTypes factor) => ChallengeToken.Create(factor, _primary);

    /// <summary>Hashes a well-formed token (ASCII) with the key it names; a random hash when the ring lacks that key.</summary>
    public byte[] HashToken(string token)
    {
        var keyId = ChallengeToken.KeyIdOf(token);
        if (_tokenKeys[keyId] is not { } key)
        {
            TwoFactorLog.TokenKeyUnknown(_logger, "challenge", keyId);
            return RandomNumberGenerator.GetBytes(HashLength);
        }

        Span<byte> ascii = stackalloc byte[ChallengeToken.Length];
        var written = Encoding.ASCII.GetBytes(token, ascii);
        return HMACSHA256.HashData(key, ascii[..written]);
    }

    /// <summary>
    /// The digest a code is stored and compared as, bound to its challenge by the token hash and keyed by the key the token
    /// names (a random digest, which matches nothing, when the ring lacks it).
    /// </summary>
    public byte[] DigestCode(string token, ReadOnlySpan<byte> tokenHash, string code)
    {
        if (_codeKeys[ChallengeToken.KeyIdOf(token)] is not { } key)
        {
            return RandomNumberGenerator.GetBytes(HashLength);
        }

        Span<byte> input = stackalloc byte[HashLength + ChallengeOptions.MaxCodeLength];
        tokenHash.CopyTo(input);
        var written = Encoding.ASCII.GetBytes(code, input[tokenHash.Length..]);
        return HMACSHA256.HashData(key, input[..(tokenHash.Length + written)]);
    }
}
