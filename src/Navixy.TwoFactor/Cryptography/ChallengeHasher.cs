using System.Security.Cryptography;
using System.Text;

namespace Navixy.TwoFactor.Cryptography;

/// <summary>
/// Keyed hashing of challenge tokens and codes (security.md items 2 and 6). A token is stored only as
/// HMAC-SHA256(token key, token); a code only as HMAC-SHA256(code key, token hash || code). Both keys are derived
/// from the key material and are never in the store, so a reader of the store can neither recover a live code
/// (a plain hash of 10^6 codes falls to brute force; a keyed one does not) nor confirm a guessed token.
/// </summary>
internal sealed class ChallengeHasher
{
    /// <summary>The length of a token hash and of a code digest, in bytes.</summary>
    public const int HashLength = 32;

    private readonly byte[] _tokenKey;
    private readonly byte[] _codeKey;

    public ChallengeHasher(TwoFactorKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _tokenKey = keys.DeriveKey("challenge-token/v1");
        _codeKey = keys.DeriveKey("email-code/v1");
    }

    /// <summary>Hashes a well-formed token (ASCII).</summary>
    public byte[] HashToken(string token)
    {
        Span<byte> ascii = stackalloc byte[ChallengeToken.Length];
        var written = Encoding.ASCII.GetBytes(token, ascii);
        return HMACSHA256.HashData(_tokenKey, ascii[..written]);
    }

    /// <summary>The digest a code is stored and compared as, bound to its challenge by the token hash.</summary>
    public byte[] DigestCode(ReadOnlySpan<byte> tokenHash, string code)
    {
        Span<byte> input = stackalloc byte[HashLength + ChallengeOptions.MaxCodeLength];
        tokenHash.CopyTo(input);
        var written = Encoding.ASCII.GetBytes(code, input[tokenHash.Length..]);
        return HMACSHA256.HashData(_codeKey, input[..(tokenHash.Length + written)]);
    }
}
