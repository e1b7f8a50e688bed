using System.Globalization;
using System.Text.Json.Serialization;
using Operator.Features.Serials;
using Operator.Features.Verification.Cache;
using Operator.Infrastructure.Api;

namespace Operator.Features.Verification;

/// <summary>What a public verification came to, before it is shaped into the API's body or the page.</summary>
public enum VerificationOutcome
{
    /// <summary>No code given (empty or blank).</summary>
    Missing,
    /// <summary>Not a serial code: too long, non-ASCII, wrong shape, impossible date, a slash...</summary>
    InvalidFormat,
    /// <summary>Well-formed, but the check character disagrees: most likely mistyped.</summary>
    InvalidChecksum,
    /// <summary>Typed correctly but not signed by the organization (forged, or signed with a retired secret).</summary>
    InvalidSignature,
    /// <summary>Genuine signature, but no public, verifiable serial of that organization carries the code.</summary>
    NotFound,
    /// <summary>In the registry: see <see cref="PublicVerification.Response"/> for its status.</summary>
    Verified,
}

/// <summary>
/// The outcome and, when <see cref="VerificationOutcome.Verified"/>, the body the spec describes, and the names the
/// verify page shows in words (the maker's and the product's). The names are not part of the API's body, whose shape
/// is the spec's.
/// </summary>
public sealed record PublicVerification(VerificationOutcome Outcome, VerifyResponse? Response, VerifiedNames? Names = null)
{
    public bool IsGenuineAndActive => Response is { Status: VerificationService.ActiveStatus };
}

/// <summary>The organization's name and the part's name of a verified code: what a customer recognizes.</summary>
public sealed record VerifiedNames(string Maker, string Product);

/// <summary>The spec's 200 body. Property order is the spec's; snake_case comes from the group's convention.</summary>
public sealed record VerifyResponse(
    bool Ok,
    bool Valid,
    bool Verified,
    string Serial,
    string Status,
    string ProductionType,
    string Scope,
    VerifyData Data,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Warning) : IStableJson
{
    /// <summary>A cached answer is written many times: serialized once.</summary>
    [JsonIgnore]
    public StableJsonMemo Json { get; } = new();
}

/// <summary>The spec's <c>data</c>: the minimal facts, plus <see cref="Traceability"/> in standard privacy mode.</summary>
public sealed record VerifyData(
    string Tenant,
    string Sku,
    string ManufacturedAt,
    string Status,
    string Origin,
    string Visibility,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] VerifyTraceability? Traceability);

/// <summary>Step names of the unit's process path, and the steps it completed with when: never who did them.</summary>
public sealed record VerifyTraceability(IReadOnlyList<string> Path, IReadOnlyList<VerifyNode> Nodes);

public sealed record VerifyNode(string NodeName, string CompletedAt);

/// <summary>
/// Public serial verification (shared/specs/public-verification.md), for the anonymous API and the verify page alike.
/// </summary>
/// <remarks>
/// <para>Checks run in the spec's order and stop at the first failure: format, checksum, signature (code-only, by
/// <see cref="SerialCodeVerifier"/>; the signature is compared in constant time), then the registry
/// (<see cref="VerificationRegistry"/>: the Serials table, across organizations: the code names its organization, the
/// serial must belong to it, its part must be publicly verifiable and its visibility public), then status. Nothing reaches the database before the signature has passed,
/// so garbage and forgeries cost no query; a code verified before costs none either while nothing it was read from has
/// changed (<see cref="VerificationCache"/>).</para>
/// <para>Answers: no code → 400 "Missing serial code..."; bad format → 400 "Invalid serial code format"; bad check
/// character → 404 with <c>reason: "invalid_checksum"</c> (a typing mistake: the check character is public
/// arithmetic, so saying so gives nothing away and tells a customer to re-read the label); bad signature and
/// "not in the registry" → the same 404 with <c>reason: "not_found"</c>, on purpose: a distinct answer for a bad
/// signature would let anyone test signature guesses against the endpoint without a registered code. Found → 200
/// with <c>valid</c> and <c>verified</c> true and the public status (active, used, scrapped, cancelled); any status
/// but active adds <c>warning: "serial_not_active"</c>.</para>
/// <para>Privacy: the organization's <c>VerificationPrivacy</c> decides. <c>standard</c> adds
/// <c>data.traceability</c> (the path's step names and the completed steps with their times); anything else, including
/// <c>internal</c>, gets the minimal answer, because internal traceability needs a signed-in user and this is the
/// anonymous API. No user, operator name, email, note or internal id is ever read into the answer.</para>
/// </remarks>
public sealed class VerificationService(VerificationRegistry registry, VerificationCache cache, SerialCodeVerifier codes, VerificationScanCounter scans)
{
    public const string ActiveStatus = "active";
    public const string NotActiveWarning = "serial_not_active";
    public const string MissingMessage = "Missing serial code. Usage: /api/public/serial/verify/{serial_code}";
    public const string InvalidFormatMessage = "Invalid serial code format";
    public const string NotFoundMessage = "Serial not found or invalid";
    public const string NotFoundReason = "not_found";
    public const string InvalidChecksumReason = "invalid_checksum";

    /// <summary>The API's answer: the spec's 200 body, or its 400/404 error.</summary>
    public async Task<Result<VerifyResponse>> VerifyForApiAsync(string? code, CancellationToken ct = default)
    {
        var result = await VerifyAsync(code, ct);
        return result.Outcome switch
        {
            VerificationOutcome.Verified => result.Response!,
            VerificationOutcome.Missing => Error.Validation(MissingMessage),
            VerificationOutcome.InvalidFormat => Error.Validation(InvalidFormatMessage),
            VerificationOutcome.InvalidChecksum => NotFound(InvalidChecksumReason),
            _ => NotFound(NotFoundReason),
        };
    }

    /// <summary>The 404 the spec shows, with its reason.</summary>
    public static Error NotFound(string reason) => Error.NotFound(NotFoundMessage, "Serial", null) with { Reason = reason };

    /// <summary>Runs every check in order and tells which one stopped it, or the verified answer.</summary>
    public async Task<PublicVerification> VerifyAsync(string? code, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return new PublicVerification(VerificationOutcome.Missing, null);
        }
        var check = SerialCodeVerifier.CheckTyping(code);
        switch (check.Outcome)
        {
            case VerificationCheck.Format: return new PublicVerification(VerificationOutcome.InvalidFormat, null);
            case VerificationCheck.Checksum: return new PublicVerification(VerificationOutcome.InvalidChecksum, null);
        }
        var parts = check.Parts!;
        // Only codes whose signature held are cached: the same code is genuine again.
        if (cache.TryGet(check.Normalized!, out var cached))
        {
            scans.Record(parts.OrgCode, genuine: true);
            return cached!.Answer;
        }
        if (codes.CheckSignature(check).Outcome == VerificationCheck.Signature)
        {
            scans.Record(parts.OrgCode, genuine: false);
            return new PublicVerification(VerificationOutcome.InvalidSignature, null);
        }

        var generation = cache.Generation;
        var answer = await ReadAsync(check.Normalized!, parts, ct);
        scans.Record(parts.OrgCode, genuine: answer is not null);
        if (answer is null) return new PublicVerification(VerificationOutcome.NotFound, null);
        cache.Add(check.Normalized!, answer, generation);
        return answer.Answer;
    }

    /// <summary>The registry's row for the code and, in standard mode, its traceability, shaped into the answer.</summary>
    private async Task<CachedVerification?> ReadAsync(string normalized, SerialCodeParts parts, CancellationToken ct)
    {
        var row = await registry.FindAsync(normalized, parts.OrgCode, ct);
        if (row is null) return null;
        var traceability = string.Equals(row.Privacy, VerificationPrivacyModes.Standard, StringComparison.OrdinalIgnoreCase)
            ? await registry.UseAsync((session, token) => TraceabilityAsync(session, row, token), ct)
            : null;

        var status = SerialStatus.Public(row.Status, row.Consumed);
        // The type the code was signed with: a part's type may change later, a printed label does not.
        var productionType = parts.ProductionType;
        var response = new VerifyResponse(
            Ok: true,
            Valid: true,
            Verified: true,
            Serial: normalized,
            Status: status,
            ProductionType: ProductionTypes.ToLongName(productionType),
            Scope: row.Scope,
            Data: new VerifyData(parts.OrgCode, row.Sku, Timestamp(row.CreatedAt), status, row.Origin, row.Visibility, traceability),
            Warning: status == ActiveStatus ? null : NotActiveWarning);
        var answer = new PublicVerification(VerificationOutcome.Verified, response, new VerifiedNames(row.OrganizationName, row.PartName));
        return new CachedVerification(Convert.ToString(row.SerialKey, CultureInfo.InvariantCulture)!, traceability is not null, answer);
    }

    /// <summary>The path's step names in order, and each completed step with its time, from the unit's step history.</summary>
    private static async Task<VerifyTraceability> TraceabilityAsync(RegistrySession session, RegistryEntry row, CancellationToken ct)
    {
        var completed = await session.CompletedStepsAsync(row, ct);
        var nodes = completed.Select(e => new VerifyNode(e.StepName, Timestamp(e.At))).ToList();
        // A unit without a path (received, generated): its path is the steps it went through.
        var path = row.PathKey is not null
            ? await session.PathStepsAsync(row, ct)
            : completed.Select(e => e.StepName).Distinct(StringComparer.Ordinal).ToList();
        return new VerifyTraceability(path, nodes);
    }

    /// <summary>"2025-11-09T08:30:00Z" as in the spec: UTC to the second, nothing finer.</summary>
    public static string Timestamp(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
