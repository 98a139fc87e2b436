using System.Diagnostics.CodeAnalysis;

namespace Navixy.TwoFactor.AspNetCore.Hosting;

/// <summary>How a host's password check ended. <c>default</c> is <see cref="WrongLoginOrPassword"/>.</summary>
public enum UserPasswordOutcome
{
    /// <summary>Unknown login or wrong password (error 102; the two are not told apart).</summary>
    WrongLoginOrPassword = 0,

    /// <summary>The login exists and the password is right.</summary>
    Passed = 1,

    /// <summary>Too many wrong passwords for this login lately (error 105); the password was not checked.</summary>
    Locked = 2,
}

/// <summary>The answer of <see cref="ITwoFactorUserAccounts.CheckPasswordAsync"/>. <c>default</c> is a wrong login or password.</summary>
public readonly record struct UserPasswordCheck
{
    private UserPasswordCheck(UserPasswordOutcome outcome, TwoFactorUser? user)
    {
        Outcome = outcome;
        User = user;
    }

    /// <summary>Unknown login or wrong password.</summary>
    public static UserPasswordCheck WrongLoginOrPassword => default;

    /// <summary>Too many wrong passwords for this login lately.</summary>
    public static UserPasswordCheck Locked => new(UserPasswordOutcome.Locked, null);

    /// <summary>How the check ended.</summary>
    public UserPasswordOutcome Outcome { get; }

    /// <summary>The user whose password passed; <see langword="null"/> otherwise.</summary>
    public TwoFactorUser? User { get; }

    /// <summary>Whether the password passed: the one success flag.</summary>
    [MemberNotNullWhen(true, nameof(User))]
    public bool IsPassed => Outcome == UserPasswordOutcome.Passed && User is not null;

    /// <summary>The password of <paramref name="user"/> is right.</summary>
    /// <param name="user">Who signed in.</param>
    public static UserPasswordCheck Passed(TwoFactorUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(UserPasswordOutcome.Passed, user);
    }
}
