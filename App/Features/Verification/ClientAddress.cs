using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Primitives;

namespace Operator.Features.Verification;

/// <summary>
/// Who is asking, for the public rate limit: the connection's remote address, or, only when that connection comes
/// from a configured reverse proxy (<see cref="PublicVerificationOptions.TrustedProxies"/>), the client the proxy
/// names in <c>X-Forwarded-For</c>.
/// </summary>
/// <remarks>
/// <para>The header is read from the right: each proxy appends the address it received the request from, so the
/// rightmost entry was written by the proxy we trust, and entries further left only count while they are trusted
/// proxies too (a chain of our own proxies). The first entry that is not one of ours is the client. Anything left of
/// it was sent by the client itself and is ignored, so a caller behind a trusted proxy cannot spoof its address
/// either. An entry that is not an address stops the walk at the last hop we could trust.</para>
/// <para>IPv4-mapped IPv6 addresses count as their IPv4 address. For the rate-limit key (<see cref="PartitionKey"/>)
/// an IPv6 client is its /64 network: one subscriber usually holds a whole /64, and per-address buckets would hand
/// such a client 2⁶⁴ of them.</para>
/// </remarks>
public sealed class ClientAddress
{
    public const string ForwardedForHeader = "X-Forwarded-For";

    private readonly IPAddress[] _proxies;
    private readonly IPNetwork[] _proxyNetworks;

    public ClientAddress(IEnumerable<string>? trustedProxies)
    {
        var addresses = new List<IPAddress>();
        var networks = new List<IPNetwork>();
        foreach (var raw in trustedProxies ?? [])
        {
            var entry = raw?.Trim() ?? "";
            if (entry.Length == 0) continue;
            if (entry.Contains('/') && IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                addresses.Add(Normalize(address));
            }
            else
            {
                // Fail at start rather than silently trusting nothing (or, worse, something else).
                throw new InvalidOperationException($"Verification:TrustedProxies holds '{entry}', which is neither an IP address nor a CIDR network.");
            }
        }
        _proxies = [.. addresses];
        _proxyNetworks = [.. networks];
    }

    /// <summary>The client's address for this request, or null when the server knows none (an in-memory test server).</summary>
    public IPAddress? Resolve(HttpContext context) =>
        Resolve(context.Connection.RemoteIpAddress, context.Request.Headers[ForwardedForHeader]);

    /// <summary>The rule itself, free of HttpContext so it can be tested on its own.</summary>
    public IPAddress? Resolve(IPAddress? remote, StringValues forwardedFor)
    {
        if (remote is null) return null;
        var client = Normalize(remote);
        if (!IsTrustedProxy(client) || StringValues.IsNullOrEmpty(forwardedFor)) return client;

        // Several header lines are one list, in order (RFC 9110 §5.3).
        var hops = forwardedFor.SelectMany(v => (v ?? "").Split(',')).Select(h => h.Trim()).ToList();
        for (var i = hops.Count - 1; i >= 0; i--)
        {
            if (!TryParseHop(hops[i], out var hop)) return client;
            client = hop;
            if (!IsTrustedProxy(hop)) return hop;
        }
        // Every hop is one of our proxies: the leftmost is as close to the client as we can know.
        return client;
    }

    public bool IsTrustedProxy(IPAddress address)
    {
        var normalized = Normalize(address);
        foreach (var proxy in _proxies)
        {
            if (proxy.Equals(normalized)) return true;
        }
        foreach (var network in _proxyNetworks)
        {
            if (network.Contains(normalized)) return true;
        }
        return false;
    }

    /// <summary>The rate-limit bucket of an address: IPv4 as is, IPv6 by its /64 network, "unknown" without one.</summary>
    public static string PartitionKey(IPAddress? address)
    {
        if (address is null) return "unknown";
        var normalized = Normalize(address);
        if (normalized.AddressFamily != AddressFamily.InterNetworkV6) return normalized.ToString();
        Span<byte> bytes = stackalloc byte[16];
        normalized.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>"203.0.113.7", "203.0.113.7:51234", "2001:db8::1" or "[2001:db8::1]:443" (proxies differ).</summary>
    private static bool TryParseHop(string text, out IPAddress address)
    {
        if (IPAddress.TryParse(text, out var plain))
        {
            address = Normalize(plain);
            return true;
        }
        if (IPEndPoint.TryParse(text, out var endpoint))
        {
            address = Normalize(endpoint.Address);
            return true;
        }
        address = IPAddress.None;
        return false;
    }
}
