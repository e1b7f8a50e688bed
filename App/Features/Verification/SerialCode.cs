using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Operator.Features.Verification;

// The public serial code of DESIGN.md "Serial codes (public verification)":
//
//   MA01-HAT-BAG-20251109-00027-A9K2-X
//   org  type SKU  yyyyMMdd seq  sig  check
//
// Everything here is pure (no database, no HTTP) so the endpoint, the label printer and the demo seed share one
// definition and the tests can hammer it exhaustively.

/// <summary>A parsed, normalized serial code. <see cref="Payload"/> is exactly the string the signature covers.</summary>
public sealed record SerialCodeParts(
    string OrgCode,
    string ProductionType,
    string Sku,
    DateOnly Date,
    int Sequence,
    string Signature,
    char Check)
{
    /// <summary>"MA01-HAT-BAG-20251109-00027": the signed part, hyphens included, so a signature can't be moved between fields.</summary>
    public string Payload => SerialCodeFormat.Payload(OrgCode, ProductionType, Sku, Date, Sequence);

    /// <summary>The full normalized code as printed on the label.</summary>
    public string Code => $"{Payload}-{Signature}-{Check}";

    /// <summary>The public API prints the long production type name, the code carries the short one.</summary>
    public string ProductionTypeName => ProductionTypes.ToLongName(ProductionType);
}

/// <summary>The two production types: the code carries three letters, the public API prints the long name.</summary>
public static class ProductionTypes
{
    public const string Hatthasilpa = "HAT";
    public const string Oem = "OEM";

    private static readonly FrozenDictionary<string, string> LongNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Hatthasilpa] = "hatthasilpa",
        [Oem] = "oem",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool IsCode(string? code) => code is not null && LongNames.ContainsKey(code);

    /// <summary>"HAT" → "hatthasilpa". Throws for anything else because a code that got this far has passed the format check.</summary>
    public static string ToLongName(string code) =>
        LongNames.TryGetValue(code, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(code), code, "Unknown production type.");

    /// <summary>"hatthasilpa" → "HAT" (case-insensitive), for callers that hold the long name (API input, part settings).</summary>
    public static bool TryFromLongName(string? name, [NotNullWhen(true)] out string? code)
    {
        foreach (var (shortCode, longName) in LongNames)
        {
            if (string.Equals(longName, name, StringComparison.OrdinalIgnoreCase))
            {
                code = shortCode;
                return true;
            }
        }
        code = null;
        return false;
    }
}

/// <summary>
/// ISO/IEC 7064 MOD 37,36: the hybrid system for alphanumeric strings (alphabet 0-9 A-Z, values 0..35) with one
/// alphanumeric check character. Hyphens are ignored, so the check covers every letter and digit of the code.
/// </summary>
/// <remarks>
/// The standard's recurrence, with M = 36 and M + 1 = 37:
/// P₁ = M; for each character value a: S = (P + a) mod M, written as M when it is 0; P' = 2·S mod (M + 1).
/// A string ending in its check character is valid when the last S is 1. The check character c appended after a
/// payload whose final state is P must therefore satisfy (P + c) mod M = 1, i.e. c = (M + 1 − P) mod M.
/// This is the same computation as python-stdnum's stdnum/iso7064/mod_37_36.py (whose state starts at M/2 because
/// 2·18 mod 37 = 36 = M), and reproduces its example A12425GABC1234002 → M.
/// The hybrid systems detect every single substitution and all but a small fraction (1/630) of adjacent
/// transpositions: two characters of consecutive values swapped where the running state is 18. Those few slip past
/// the check character but never past the signature, which is why verification runs both.
/// </remarks>
public static class Iso7064Mod37_36
{
    private const int M = 36;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /// <summary>The check character for a payload. Throws for characters other than 0-9, A-Z and hyphen.</summary>
    public static char Compute(ReadOnlySpan<char> payload)
    {
        if (!TryRun(payload, out var p, out _, out var count) || count == 0)
        {
            throw new ArgumentException("The payload must be a non-empty string of 0-9, A-Z and hyphens.", nameof(payload));
        }
        return Alphabet[(M + 1 - p) % M];
    }

    /// <summary>The standard's verification rule: run the recurrence over the payload and its check character; valid when the last S is 1.</summary>
    public static bool IsValid(ReadOnlySpan<char> withCheck) =>
        TryRun(withCheck, out _, out var lastS, out var count) && count >= 2 && lastS == 1;

    /// <summary>
    /// Whether the check character of <paramref name="code"/> catches every swap of two adjacent, different letters or
    /// digits (hyphens ignored). About 3.6% of codes have one swap the hybrid system misses; the issuer skips those
    /// sequence numbers, so every printed code has every adjacent transposition caught by its check character alone.
    /// </summary>
    public static bool CatchesEveryAdjacentTransposition(string code) => CatchesEveryAdjacentTransposition(code, 0);

    /// <summary>
    /// Like <see cref="CatchesEveryAdjacentTransposition(string)"/>, but ignores swaps of two characters that both lie in
    /// the first <paramref name="fixedLength"/> letters and digits. Whether the check character catches such a swap is
    /// settled by that fixed text alone: right after the pair the running states either agree (and then stay equal, so the
    /// swap is missed) or differ (and each later step is injective, so they stay different and the swap is caught). No
    /// later character can change it, so an issuer that skipped those codes would skip every code of the prefix. The swap
    /// straddling the end of the prefix is ignored too: it is settled by the prefix and the next character alone (the
    /// sequence's first digit), and holding it against the codes made the issuer skip sequences 00001-09999 of about one
    /// SKU in 37 every day. Such a swap still changes the date or the sequence, so the signature refuses the code.
    /// </summary>
    public static bool CatchesEveryAdjacentTransposition(string code, int fixedLength)
    {
        var chars = code.Where(c => c != '-').ToArray();
        for (var i = fixedLength; i + 1 < chars.Length; i++)
        {
            if (chars[i] == chars[i + 1]) continue;
            (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
            var stillValid = IsValid(chars);
            (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
            if (stillValid) return false;
        }
        return true;
    }

    private static bool TryRun(ReadOnlySpan<char> text, out int p, out int lastS, out int count)
    {
        p = M;
        lastS = 0;
        count = 0;
        foreach (var ch in text)
        {
            if (ch == '-') continue;
            var value = ValueOf(ch);
            if (value < 0) return false;
            var s = (p + value) % M;
            if (s == 0) s = M;
            lastS = s;
            p = s * 2 % (M + 1);
            count++;
        }
        return true;
    }

    // Upper case only: codes are normalized before they get here, and accepting 'a' as 10 would make the checksum
    // disagree with the format check about what a valid code is.
    private static int ValueOf(char ch) => ch switch
    {
        >= '0' and <= '9' => ch - '0',
        >= 'A' and <= 'Z' => ch - 'A' + 10,
        _ => -1,
    };
}

/// <summary>Shape, normalization and checksum of serial codes; no secrets involved.</summary>
public static class SerialCodeFormat
{
    /// <summary>Longer input is refused before any work is done on it (the public endpoint takes it from the URL).</summary>
    public const int MaxInputLength = 200;

    // [0-9] rather than \d: in .NET \d also matches Arabic-Indic, fullwidth and other Unicode digits. \z rather than $:
    // $ also matches before a final "\n". Non-ASCII is refused before the regex anyway; this keeps the pattern honest
    // on its own.
    private static readonly Regex Shape = new(
        "^[A-Z0-9]{4}-(HAT|OEM)-[A-Z0-9]{2,12}-[0-9]{8}-[0-9]{5}-[A-Z0-9]{4}-[A-Z0-9]\\z",
        RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    private static readonly Regex OrgShape = new("^[A-Z0-9]{4}\\z", RegexOptions.Compiled | RegexOptions.CultureInvariant);
    private static readonly Regex SkuShape = new("^[A-Z0-9]{2,12}\\z", RegexOptions.Compiled | RegexOptions.CultureInvariant);

    public static bool IsOrgCode(string? value) => value is not null && OrgShape.IsMatch(value);

    public static bool IsSku(string? value) => value is not null && SkuShape.IsMatch(value);

    public static bool IsSequence(int value) => value is >= 1 and <= 99_999;

    /// <summary>The signed payload "ORG-TYPE-SKU-yyyyMMdd-nnnnn" (inputs assumed valid).</summary>
    public static string Payload(string orgCode, string productionType, string sku, DateOnly date, int sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{orgCode}-{productionType}-{sku}-{date:yyyyMMdd}-{sequence:D5}");

    /// <summary>
    /// Normalizes (trim, upper-case invariant) and parses a code. Refuses input over <see cref="MaxInputLength"/>
    /// characters, non-ASCII, the wrong shape, dates that are not on the calendar and sequence 00000 (never issued).
    /// Does not look at the check character or the signature: those are separate steps so the caller can tell them apart.
    /// </summary>
    public static bool TryParse(string? input, [NotNullWhen(true)] out SerialCodeParts? parts, out string normalized)
    {
        parts = null;
        normalized = string.Empty;
        if (string.IsNullOrEmpty(input) || input.Length > MaxInputLength) return false;

        var trimmed = input.AsSpan().Trim();
        // Before upper-casing: ToUpperInvariant maps 'ſ' (U+017F) to 'S', and a look-alike code must never normalize
        // into a genuine one.
        if (trimmed.IsEmpty || !Ascii.IsValid(trimmed)) return false;

        var candidate = trimmed.ToString().ToUpperInvariant();
        if (!Shape.IsMatch(candidate)) return false;

        // Fixed positions from here on: the regex has pinned every field except the SKU's length.
        var segments = candidate.Split('-');
        var (org, type, sku, dateText, sequenceText, signature, check) =
            (segments[0], segments[1], segments[2], segments[3], segments[4], segments[5], segments[6][0]);

        if (!DateOnly.TryParseExact(dateText, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return false;
        var sequence = int.Parse(sequenceText, NumberStyles.None, CultureInfo.InvariantCulture);
        if (!IsSequence(sequence)) return false;

        parts = new SerialCodeParts(org, type, sku, date, sequence, signature, check);
        normalized = candidate;
        return true;
    }

    /// <summary>Whether the last letter or digit is the ISO/IEC 7064 MOD 37,36 check character of all the others.</summary>
    public static bool HasValidCheck(string? normalized) =>
        !string.IsNullOrEmpty(normalized) && Iso7064Mod37_36.IsValid(normalized);
}

/// <summary>
/// Per-organization signing secrets, bound from configuration section <c>Verification</c>:
/// <c>Verification:Keys:MA01:0 = "..."</c>, <c>Verification:Keys:MA01:1 = "..."</c>. The first secret signs new codes,
/// any of them verifies, so a secret is rotated by putting the new one first and dropping the old one once no
/// label signed with it is in circulation.
/// </summary>
/// <remarks>A class and not a record on purpose: a record's generated ToString would print the secrets into any log line that formats the options.</remarks>
public sealed class VerificationKeyOptions
{
    public const string SectionName = "Verification";

    public Dictionary<string, string[]> Keys { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Issues codes and checks their signatures with the organization's secrets.</summary>
/// <remarks>
/// Signature = first 4 bytes of HMAC-SHA256(key = UTF-8 of the secret, message = ASCII of the payload
/// "MA01-HAT-BAG-20251109-00027") read as a big-endian unsigned 32-bit integer, mod 36⁴, written in base 36
/// (0-9 A-Z, upper case) left-padded with '0' to 4 characters. 36⁴ ≈ 1.68 million: a forger has one chance in that
/// per guess, which the public endpoint's rate limit turns into years; it is short because people type it.
/// (The mod-36⁴ bias on a 32-bit value is below 0.04 % and irrelevant at that scale.)
/// </remarks>
public sealed class SerialCodeSigner(IOptions<VerificationKeyOptions> options)
{
    /// <summary>Shorter secrets are refused: HMAC is only as strong as its key, and a short one is guessable offline from a few labels.</summary>
    public const int MinSecretLength = 16;

    private const string Base36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const uint SignatureSpace = 36u * 36u * 36u * 36u;

    // Secrets as key bytes only; nothing here is ever formatted, logged or returned.
    private readonly FrozenDictionary<string, KeyedMac[]> keys = Load(options.Value).ToFrozenDictionary(
        k => k.Key, k => k.Value.Select(secret => new KeyedMac(secret)).ToArray(), StringComparer.Ordinal);

    /// <summary>Whether codes of this organization can be issued and verified at all.</summary>
    public bool HasKeys(string orgCode) => keys.ContainsKey(orgCode.ToUpperInvariant());

    /// <summary>
    /// A new signed code. Org code, type and SKU are upper-cased (codes are case-insensitive), then must fit the
    /// format: org 4 of A-Z0-9, type HAT or OEM, SKU 2-12 of A-Z0-9, sequence 1..99999. Signed with the first secret.
    /// </summary>
    /// <exception cref="InvalidOperationException">An input is out of format or the organization has no secret configured.</exception>
    public string Issue(string orgCode, string productionType, string sku, DateOnly date, int sequence)
    {
        ArgumentNullException.ThrowIfNull(orgCode);
        ArgumentNullException.ThrowIfNull(productionType);
        ArgumentNullException.ThrowIfNull(sku);
        var org = orgCode.ToUpperInvariant();
        var type = productionType.ToUpperInvariant();
        var normalizedSku = sku.ToUpperInvariant();

        // Refused rather than coerced: a code that silently differs from the part's SKU would not trace back to it.
        if (!SerialCodeFormat.IsOrgCode(org)) throw new InvalidOperationException("The organization code must be 4 characters of A-Z and 0-9.");
        if (!ProductionTypes.IsCode(type)) throw new InvalidOperationException("The production type must be HAT or OEM.");
        if (!SerialCodeFormat.IsSku(normalizedSku)) throw new InvalidOperationException("The SKU must be 2 to 12 characters of A-Z and 0-9 to appear in a serial code.");
        if (!SerialCodeFormat.IsSequence(sequence)) throw new InvalidOperationException("The sequence must be between 1 and 99999.");
        if (!keys.TryGetValue(org, out var orgKeys)) throw new InvalidOperationException($"No verification secret is configured for organization {org}.");

        var payload = SerialCodeFormat.Payload(org, type, normalizedSku, date, sequence);
        var signed = $"{payload}-{Sign(orgKeys[0], payload)}";
        return $"{signed}-{Iso7064Mod37_36.Compute(signed)}";
    }

    /// <summary>
    /// Whether the signature was made with any of the organization's secrets. Compared in constant time and against
    /// every secret without stopping early, so the response time says nothing about how close a guess was or which
    /// key matched.
    /// </summary>
    public bool VerifySignature(SerialCodeParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (!keys.TryGetValue(parts.OrgCode, out var orgKeys) || parts.Signature.Length != 4 || !Ascii.IsValid(parts.Signature)) return false;

        Span<byte> presented = stackalloc byte[4];
        Encoding.ASCII.GetBytes(parts.Signature, presented);
        Span<byte> expected = stackalloc byte[4];
        var payload = parts.Payload;
        var match = false;
        foreach (var key in orgKeys)
        {
            Sign(key, payload, expected);
            match |= CryptographicOperations.FixedTimeEquals(expected, presented);
        }
        return match;
    }

    internal static FrozenDictionary<string, byte[][]> Load(VerificationKeyOptions options)
    {
        var built = new Dictionary<string, byte[][]>(StringComparer.Ordinal);
        foreach (var (rawOrg, secrets) in options.Keys)
        {
            var org = rawOrg.Trim().ToUpperInvariant();
            // Error messages name the configuration key, never the value.
            if (!SerialCodeFormat.IsOrgCode(org))
            {
                throw new InvalidOperationException($"{VerificationKeyOptions.SectionName}:Keys:{rawOrg} is not a 4-character organization code (A-Z, 0-9).");
            }
            if (built.ContainsKey(org))
            {
                throw new InvalidOperationException($"{VerificationKeyOptions.SectionName}:Keys has organization {org} more than once.");
            }
            var list = new List<byte[]>();
            for (var i = 0; i < (secrets?.Length ?? 0); i++)
            {
                var secret = secrets![i];
                if (string.IsNullOrWhiteSpace(secret) || secret.Length < MinSecretLength)
                {
                    throw new InvalidOperationException($"{VerificationKeyOptions.SectionName}:Keys:{org}:{i} must be at least {MinSecretLength} characters long.");
                }
                list.Add(Encoding.UTF8.GetBytes(secret));
            }
            // An organization listed without secrets is treated like one not listed: it cannot issue or verify.
            if (list.Count > 0) built[org] = [.. list];
        }
        return built.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string Sign(KeyedMac key, string payload)
    {
        Span<byte> signature = stackalloc byte[4];
        Sign(key, payload, signature);
        return Encoding.ASCII.GetString(signature);
    }

    /// <summary>The payload's 4-character signature under <paramref name="key"/>, as ASCII bytes.</summary>
    private static void Sign(KeyedMac key, string payload, Span<byte> signature)
    {
        Span<byte> message = stackalloc byte[payload.Length];
        Encoding.ASCII.GetBytes(payload, message);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        key.Compute(message, mac);
        var value = BinaryPrimitives.ReadUInt32BigEndian(mac) % SignatureSpace;
        for (var i = 3; i >= 0; i--)
        {
            signature[i] = (byte)Base36[(int)(value % 36)];
            value /= 36;
        }
    }

    /// <summary>
    /// HMAC-SHA256 under one secret, from keyed states that are reset and reused: the one-shot
    /// <see cref="HMACSHA256.HashData(byte[], byte[])"/> sets up the algorithm and the key again for every code, which
    /// cost more than the rest of the code checks together. A state serves one caller at a time; concurrent callers
    /// get one each.
    /// </summary>
    private sealed class KeyedMac(byte[] secret)
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<IncrementalHash> _idle = new();

        public void Compute(ReadOnlySpan<byte> message, Span<byte> mac)
        {
            var state = _idle.TryDequeue(out var idle) ? idle : IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
            state.AppendData(message);
            state.GetHashAndReset(mac);
            // Only a state that completed goes back (an exception leaves it to the collector).
            _idle.Enqueue(state);
        }
    }
}

/// <summary>Which of the code-only checks a code failed, in the spec's order, or <see cref="Ok"/>.</summary>
public enum VerificationCheck
{
    Ok,
    /// <summary>Not a serial code at all: empty, too long, non-ASCII, wrong shape, impossible date.</summary>
    Format,
    /// <summary>Well-formed but the check character disagrees: most likely a typing mistake.</summary>
    Checksum,
    /// <summary>Typed correctly but not signed by the organization (forged, or signed with a retired secret).</summary>
    Signature,
}

/// <summary>
/// The outcome of <see cref="SerialCodeVerifier.Check"/>. <see cref="Parts"/> and <see cref="Normalized"/> are set
/// whenever the format step passed (so a later step can still report the normalized code), and null otherwise.
/// </summary>
public sealed record VerificationCheckResult(VerificationCheck Outcome, SerialCodeParts? Parts, string? Normalized)
{
    [MemberNotNullWhen(true, nameof(Parts), nameof(Normalized))]
    public bool IsOk => Outcome == VerificationCheck.Ok;
}

/// <summary>
/// Steps 1-3 of the spec's verification (format → checksum → signature). Registry and status (steps 4-5) need the
/// database and belong to the endpoint; it should call this first so garbage never reaches a query.
/// </summary>
public sealed class SerialCodeVerifier(SerialCodeSigner signer)
{
    public VerificationCheckResult Check(string? raw)
    {
        var typed = CheckTyping(raw);
        return typed.IsOk ? CheckSignature(typed) : typed;
    }

    /// <summary>
    /// Steps 1-2 (format, checksum): <see cref="VerificationCheck.Ok"/> here means well typed, not yet genuine; follow with
    /// <see cref="CheckSignature"/>. For a caller that already knows the normalized code to be genuine (verification's
    /// cache holds only codes whose signature held with this process's keys).
    /// </summary>
    public static VerificationCheckResult CheckTyping(string? raw)
    {
        if (!SerialCodeFormat.TryParse(raw, out var parts, out var normalized))
        {
            return new VerificationCheckResult(VerificationCheck.Format, null, null);
        }
        // Checksum before signature: it is cheaper and separates typos from forgeries.
        return SerialCodeFormat.HasValidCheck(normalized)
            ? new VerificationCheckResult(VerificationCheck.Ok, parts, normalized)
            : new VerificationCheckResult(VerificationCheck.Checksum, parts, normalized);
    }

    /// <summary>Step 3 of a code <see cref="CheckTyping"/> passed.</summary>
    public VerificationCheckResult CheckSignature(VerificationCheckResult typed) =>
        signer.VerifySignature(typed.Parts!) ? typed : typed with { Outcome = VerificationCheck.Signature };
}

/// <summary>One line of wiring for whoever adds the endpoint: options from the "Verification" section, signer and verifier as singletons.</summary>
public static class SerialCodeServices
{
    public static IServiceCollection AddSerialCodes(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<VerificationKeyOptions>(config.GetSection(VerificationKeyOptions.SectionName));
        services.AddSingleton<IPostConfigureOptions<VerificationKeyOptions>>(new DemoVerificationKeys(config));
        // A short or misnamed secret stops the app at start, not at the first label printed or code verified.
        services.AddSingleton<IValidateOptions<VerificationKeyOptions>, VerificationKeyValidation>();
        services.AddOptions<VerificationKeyOptions>().ValidateOnStart();
        services.AddSingleton<SerialCodeSigner>();
        services.AddSingleton<SerialCodeVerifier>();
        return services;
    }
}

/// <summary>
/// The demo organizations' published secrets (<c>Demo:VerificationKeys</c>, in appsettings.Demo.json) stand in for a
/// missing <c>Verification:Keys:&lt;ORG&gt;</c> only in demo mode (<c>Demo:Seed</c>, the same switch that seeds the demo
/// data). Outside it they are never read: anyone can sign codes with a secret that is in the repository.
/// </summary>
internal sealed class DemoVerificationKeys(IConfiguration config) : IPostConfigureOptions<VerificationKeyOptions>
{
    public void PostConfigure(string? name, VerificationKeyOptions options)
    {
        if (!config.GetValue("Demo:Seed", true)) return;
        foreach (var org in config.GetSection("Demo:VerificationKeys").GetChildren())
        {
            var secrets = org.Get<string[]>();
            if (secrets is { Length: > 0 } && !options.Keys.ContainsKey(org.Key))
            {
                options.Keys[org.Key] = secrets;
            }
        }
    }
}

/// <summary>The signer's own rules on the configured secrets, checked when the host starts; messages name keys, never values.</summary>
internal sealed class VerificationKeyValidation : IValidateOptions<VerificationKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, VerificationKeyOptions options)
    {
        try
        {
            SerialCodeSigner.Load(options);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
