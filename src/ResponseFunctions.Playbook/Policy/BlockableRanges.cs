using System.Net;
using System.Net.Sockets;

namespace ResponseFunctions.Playbook.Policy;

/// <summary>
/// What an attacker address range may be before a Conditional Access block uses it (one type for every path that
/// takes an address: the request parser, intake, the policy validator, 1.e and its release): normalized (host bits cleared,
/// so 185.220.101.45/8 is 185.0.0.0/8 and reads as what it blocks), and never a special-purpose range, which no sign-in
/// to Microsoft Entra comes from and which only ever widens the block: private, loopback, link-local, CGNAT,
/// multicast, broadcast, reserved, benchmarking, documentation-only (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,
/// 2001:db8::/32), 6to4/Teredo/NAT64 translation and IPv4-mapped IPv6.
/// Source: IANA IPv4 and IPv6 Special-Purpose Address Registries (iana.org/assignments/iana-ipv4-special-registry,
/// iana-ipv6-special-registry; RFC 6890; documentation ranges RFC 5737 and RFC 3849).
/// </summary>
public static class BlockableRanges
{
    private static readonly IPNetwork[] SpecialPurpose =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15",
            "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32", "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32",
            "::/128", "::1/128", "::ffff:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/32", "2001:2::/48",
            "2001:10::/28", "2001:20::/28", "2002::/16", "5f00::/16", "fc00::/7", "fe80::/10", "ff00::/8",
        }.Select(IPNetwork.Parse),
    ];

    /// <summary>"a.b.c.d[/n]" or IPv6 → the normalized CIDR, or null when it cannot be blocked.</summary>
    public static string? Normalize(string value) => Normalize(value, out _);

    /// <summary>"a.b.c.d[/n]" or IPv6 → the normalized CIDR, or null with <paramref name="why"/> when it cannot be blocked.</summary>
    public static string? Normalize(string value, out string? why)
    {
        why = null;
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? value : value[..slash];
        if (!value.All(char.IsAscii) || !IPAddress.TryParse(addressText, out var address) || addressText.Contains('%', StringComparison.Ordinal))
        {
            why = "not an IP address";
            return null;
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        var prefix = maxPrefix;
        if (slash >= 0 && (!int.TryParse(value[(slash + 1)..], System.Globalization.NumberStyles.None, null, out prefix) || prefix > maxPrefix || prefix < 8))
        {
            why = $"the prefix must be /8 to /{maxPrefix}";
            return null;
        }

        var network = new IPNetwork(Mask(address, prefix), prefix);
        if (SpecialPurpose.FirstOrDefault(special => Overlaps(special, network)) is { BaseAddress: not null } hit && hit.PrefixLength > 0)
        {
            why = $"it overlaps the special-purpose range {hit} (IANA registry): private, loopback, link-local, CGNAT, multicast, reserved, documentation or translated addresses are never blocked";
            return null;
        }

        return network.ToString();
    }

    /// <summary>How many addresses a range covers (IPv6 counted in /64 networks, the unit one site gets).</summary>
    public static double Size(string cidr)
    {
        var network = IPNetwork.Parse(cidr);
        return network.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6
            ? Math.Pow(2, Math.Max(0, 64 - network.PrefixLength))
            : Math.Pow(2, 32 - network.PrefixLength);
    }

    /// <summary>Two ranges of one family overlap when they agree on the shorter prefix (bitwise: IPNetwork.Contains maps IPv4-mapped addresses).</summary>
    public static bool Overlaps(IPNetwork a, IPNetwork b)
    {
        if (a.BaseAddress.AddressFamily != b.BaseAddress.AddressFamily)
        {
            return false;
        }

        var prefix = Math.Min(a.PrefixLength, b.PrefixLength);
        return Mask(a.BaseAddress, prefix).Equals(Mask(b.BaseAddress, prefix));
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bits));
        }

        return new IPAddress(bytes);
    }
}
