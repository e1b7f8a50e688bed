using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Features.Verification;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;

namespace Operator.Features.Serials;

/// <summary>
/// The one place new serial numbers come from when the plant numbers a unit itself. Parts configured for public
/// verification get signed public codes (organization-type-SKU-date-sequence-signature-check); other parts get
/// <c>SN-00001</c>-style numbers from the organization's counter. Runs inside the caller's transaction, so a rollback
/// gives the numbers back and concurrent callers never draw the same one.
/// </summary>
public sealed class SerialNumbering(SerialCodeSigner signer, TimeProvider time)
{
    public const int MaxPublicSequence = 99_999;

    /// <summary>
    /// Whether serials of a publicly verifiable part of <paramref name="orgCode"/> can be given signed codes: the code
    /// carries the production type, and the organization's secret signs it.
    /// </summary>
    public bool CanSign(string orgCode, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? productionType) =>
        productionType is not null && signer.HasKeys(orgCode);

    public async Task<Result<IReadOnlyList<string>>> NextAsync(OperatorDb db, Part part, int count, CancellationToken ct = default)
    {
        if (count < 1)
        {
            return Array.Empty<string>();
        }
        if (!part.PubliclyVerifiable)
        {
            var last = await db.NextAsync(part.OrganizationId, "serial", count, ct);
            return Enumerable.Range(0, count).Select(i => $"SN-{last - count + 1 + i:D5}").ToList();
        }

        var orgCode = await db.Organizations.Where(o => o.Id == part.OrganizationId).Select(o => o.Code).SingleAsync(ct);
        if (!CanSign(orgCode, part.ProductionType))
        {
            return Error.Conflict($"Part {part.Number} is publicly verifiable but {orgCode} has no production type or verification secret configured");
        }
        var day = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var counter = $"pubcode:{part.ProductionType}:{part.Sku}:{day:yyyyMMdd}";
        var codes = new List<string>(count);
        while (codes.Count < count)
        {
            // About 1 in 28 sequence numbers is skipped (see CatchesEveryAdjacentTransposition), so draw a little extra.
            var missing = count - codes.Count;
            var draw = missing + missing / 20 + 1;
            var last = await db.NextAsync(part.OrganizationId, counter, draw, ct);
            for (var sequence = last - draw + 1; sequence <= last && codes.Count < count; sequence++)
            {
                if (sequence > MaxPublicSequence)
                {
                    return Error.Conflict($"The public code sequence of {part.Sku} for {day:yyyy-MM-dd} is used up ({MaxPublicSequence} codes a day)");
                }
                var code = signer.Issue(orgCode, part.ProductionType, part.Sku, day, (int)sequence);
                if (Keeps(code, orgCode, part.ProductionType, part.Sku))
                {
                    codes.Add(code);
                }
            }
        }
        return codes;
    }

    /// <summary>
    /// Whether the issuer keeps this signed code: its check character must catch every swap of two adjacent characters
    /// that the sequence, signature and check character take part in (about 1 in 28 sequence numbers is skipped). A swap
    /// inside the fixed part (organization, type, SKU, date) is caught or missed alike for every sequence of the day, so it
    /// is not held against the code: skipping would refuse every code of that SKU (and burn the whole day's counter),
    /// while the signature still refuses such a swapped code at verification ("not found" rather than "mistyped").
    /// </summary>
    public static bool Keeps(string code, string orgCode, string productionType, string sku) =>
        Iso7064Mod37_36.CatchesEveryAdjacentTransposition(code, orgCode.Length + productionType.Length + sku.Length + 8);
}
