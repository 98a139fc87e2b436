using System.Security.Cryptography;
using Navixy.TwoFactor.Cryptography;

namespace Navixy.TwoFactor.Tests.Cryptography;

public class AesGcmSecretProtectorTests
{
    private static readonly byte[] Aad = [1, 2, 3];

    [Test]
    public void Protect_ThenUnprotect_RoundTripsAndHidesTheSecret()
    {
        using var protector = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));
        var secret = RandomNumberGenerator.GetBytes(20);

        var blob = protector.Protect(secret, Aad);

        Assert.That(blob.AsSpan().IndexOf(secret.AsSpan(0, 8)), Is.EqualTo(-1));
        Assert.That(protector.TryUnprotect(blob, Aad, out var back), Is.True);
        Assert.That(back, Is.EqualTo(secret));
    }

    [Test]
    public void Unprotect_AnyFlippedBit_Fails()
    {
        using var protector = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));
        var blob = protector.Protect(RandomNumberGenerator.GetBytes(20), Aad);

        for (var i = 0; i < blob.Length; i++)
        {
            var tampered = (byte[])blob.Clone();
            tampered[i] ^= 0x01;
            Assert.That(protector.TryUnprotect(tampered, Aad, out _), Is.False, $"byte {i}");
        }
    }

    [Test]
    public void Unprotect_OtherAssociatedDataOrKeyOrTruncated_Fails()
    {
        using var protector = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));
        using var other = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));
        var blob = protector.Protect(RandomNumberGenerator.GetBytes(20), Aad);

        Assert.That(protector.TryUnprotect(blob, [9, 9, 9], out _), Is.False);
        Assert.That(other.TryUnprotect(blob, Aad, out _), Is.False);
        Assert.That(protector.TryUnprotect(blob.AsSpan(0, 20), Aad, out _), Is.False);
        Assert.That(protector.TryUnprotect([], Aad, out _), Is.False);
    }

    [Test]
    public async Task ProtectAndUnprotect_ManyThreadsOnOneInstance_AllRoundTrip()
    {
        // The engine holds one protector for the process; logins on many threads decrypt at the same moment.
        using var protector = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));
        var secret = RandomNumberGenerator.GetBytes(20);
        var blob = protector.Protect(secret, Aad);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            await gate.Task;
            var failures = 0;
            for (var i = 0; i < 2_000; i++)
            {
                var ok = w % 2 == 0
                    ? protector.TryUnprotect(blob, Aad, out var back) && back.AsSpan().SequenceEqual(secret)
                    : protector.TryUnprotect(protector.Protect(secret, Aad), Aad, out var again) && again.AsSpan().SequenceEqual(secret);
                failures += ok ? 0 : 1;
            }

            return failures;
        })).ToArray();
        gate.SetResult();

        Assert.That(await Task.WhenAll(workers), Is.All.Zero);
    }
}
