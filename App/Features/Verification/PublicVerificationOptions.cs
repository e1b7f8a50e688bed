namespace Operator.Features.Verification;

/// <summary>
/// The public side of verification, bound from the configuration section <c>Verification</c> (the same section that
/// holds the signing secrets in <see cref="VerificationKeyOptions"/>; the two are bound separately so nothing that
/// reads these settings ever holds a secret).
/// </summary>
public sealed class PublicVerificationOptions
{
    /// <summary>Requests per hour per client address on the public verification API and page (the spec's 60). 0 or less: no limit (benchmarks only).</summary>
    public int RateLimitPerHour { get; set; } = 60;

    /// <summary>
    /// Addresses (or networks in CIDR notation, e.g. <c>10.0.0.0/8</c>) of the reverse proxies in front of the app.
    /// Only a request arriving from one of these has its <c>X-Forwarded-For</c> header believed; from anywhere else
    /// the header is ignored, so a caller cannot pick its own rate-limit bucket.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>
    /// Codes whose registry reads are kept in memory (<see cref="Cache.VerificationCache"/>); 0 turns the cache off.
    /// Roughly a kilobyte each (the answer's objects and its JSON), more with traceability.
    /// </summary>
    public int CacheEntries { get; set; } = 50_000;

    /// <summary>Where customers reach the verify page: the QR code on a label points at <c>{PublicBaseUrl}/verify/{code}</c>.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5000";

    /// <summary>The verify page address of a code, for labels.</summary>
    public string VerifyUrl(string code) => $"{PublicBaseUrl.TrimEnd('/')}/verify/{Uri.EscapeDataString(code)}";
}
