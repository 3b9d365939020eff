using System.Security.Cryptography;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>
/// 24 characters from a cryptographic RNG with every character class present, so it meets any Entra password
/// policy; nobody ever sees it (the policy discards it), so it need not be typeable.
/// </summary>
public sealed class StrongPasswordGenerator : IPasswordGenerator
{
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Digits = "23456789";
    private const string Symbols = "!#$%&()*+-.:;<=>?@[]^_{}~";
    private const int Length = 24;

    public string Generate()
    {
        var all = Lower + Upper + Digits + Symbols;
        var characters = new char[Length];
        characters[0] = Pick(Lower);
        characters[1] = Pick(Upper);
        characters[2] = Pick(Digits);
        characters[3] = Pick(Symbols);
        for (var i = 4; i < Length; i++)
        {
            characters[i] = Pick(all);
        }

        RandomNumberGenerator.Shuffle(characters.AsSpan());
        return new string(characters);
    }

    private static char Pick(string set) => set[RandomNumberGenerator.GetInt32(set.Length)];
}
