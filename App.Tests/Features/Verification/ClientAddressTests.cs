using System.Net;
using Microsoft.Extensions.Primitives;
using Operator.Features.Verification;

namespace Operator.Tests.Features.Verification;

/// <summary>The client-address rule behind the public rate limit, on its own.</summary>
public sealed class ClientAddressTests
{
    private static readonly ClientAddress Rule = new(["10.0.0.1", "10.0.0.2", "192.168.50.0/24", "2001:db8:ffff::1"]);

    private static string? Resolve(string? remote, params string[] forwardedFor) =>
        Rule.Resolve(remote is null ? null : IPAddress.Parse(remote), new StringValues(forwardedFor))?.ToString();

    [Fact]
    public void Without_a_proxy_the_connection_is_the_client_and_the_header_is_ignored()
    {
        Assert.Equal("198.51.100.7", Resolve("198.51.100.7"));
        Assert.Equal("198.51.100.7", Resolve("198.51.100.7", "203.0.113.1"));
        Assert.Equal("198.51.100.7", Resolve("198.51.100.7", "10.0.0.1"));
    }

    [Fact]
    public void From_a_trusted_proxy_the_rightmost_untrusted_entry_is_the_client()
    {
        Assert.Equal("203.0.113.1", Resolve("10.0.0.1", "203.0.113.1"));
        // The client wrote "1.2.3.4" itself; the proxy appended what it saw.
        Assert.Equal("203.0.113.1", Resolve("10.0.0.1", "1.2.3.4, 203.0.113.1"));
        // A chain of our own proxies is walked through.
        Assert.Equal("203.0.113.1", Resolve("10.0.0.1", "1.2.3.4, 203.0.113.1, 10.0.0.2"));
        Assert.Equal("203.0.113.1", Resolve("10.0.0.1", "1.2.3.4, 203.0.113.1, 192.168.50.17"));
        // Several header lines are one list.
        Assert.Equal("203.0.113.1", Resolve("10.0.0.1", "1.2.3.4", "203.0.113.1, 10.0.0.2"));
    }

    [Fact]
    public void Networks_in_cidr_notation_are_trusted_proxies()
    {
        Assert.Equal("203.0.113.9", Resolve("192.168.50.200", "203.0.113.9"));
        Assert.Equal("192.168.51.1", Resolve("192.168.51.1", "203.0.113.9"));
    }

    [Fact]
    public void Only_proxies_without_an_untrusted_entry_fall_back_to_the_leftmost()
    {
        Assert.Equal("10.0.0.2", Resolve("10.0.0.1", "10.0.0.2"));
    }

    [Fact]
    public void Entries_with_ports_and_ipv6_are_understood()
    {
        Assert.Equal("203.0.113.1", Resolve("10.0.0.1", "203.0.113.1:51234"));
        Assert.Equal("2001:db8::5", Resolve("10.0.0.1", "[2001:db8::5]:443"));
        Assert.Equal("2001:db8::5", Resolve("10.0.0.1", "2001:db8::5"));
        Assert.Equal("203.0.113.1", Resolve("2001:db8:ffff::1", "203.0.113.1"));
    }

    [Fact]
    public void A_garbled_entry_stops_at_the_last_address_that_could_be_trusted()
    {
        Assert.Equal("10.0.0.1", Resolve("10.0.0.1", "unknown"));
        Assert.Equal("10.0.0.2", Resolve("10.0.0.1", "203.0.113.1, <script>, 10.0.0.2"));
        Assert.Equal("10.0.0.1", Resolve("10.0.0.1", ""));
    }

    [Fact]
    public void Ipv4_mapped_addresses_are_their_ipv4_address()
    {
        Assert.Equal("203.0.113.1", Resolve("::ffff:10.0.0.1", "::ffff:203.0.113.1"));
        Assert.Equal("198.51.100.7", Resolve("::ffff:198.51.100.7", "203.0.113.1"));
    }

    [Fact]
    public void No_remote_address_is_no_client()
    {
        Assert.Null(Resolve(null, "203.0.113.1"));
        Assert.Equal("unknown", ClientAddress.PartitionKey(null));
    }

    [Fact]
    public void Ipv6_clients_share_a_bucket_per_64_network_and_ipv4_clients_per_address()
    {
        Assert.Equal("2001:db8:1:2::/64", ClientAddress.PartitionKey(IPAddress.Parse("2001:db8:1:2:aaaa:bbbb:cccc:dddd")));
        Assert.Equal(ClientAddress.PartitionKey(IPAddress.Parse("2001:db8:1:2::1")), ClientAddress.PartitionKey(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.NotEqual(ClientAddress.PartitionKey(IPAddress.Parse("2001:db8:1:2::1")), ClientAddress.PartitionKey(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal("198.51.100.7", ClientAddress.PartitionKey(IPAddress.Parse("198.51.100.7")));
        Assert.Equal("198.51.100.7", ClientAddress.PartitionKey(IPAddress.Parse("::ffff:198.51.100.7")));
    }

    [Fact]
    public void A_misconfigured_proxy_entry_stops_the_app_at_start()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ClientAddress(["10.0.0.1", "proxy.internal"]));
        Assert.Contains("proxy.internal", error.Message);
    }
}
