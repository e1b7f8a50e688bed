using System.Globalization;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Features.Verification;

namespace Operator.Bench.Generators;

/// <summary>
/// Registers publicly verifiable serials with genuine signed codes for the <c>verify</c> load scenario: a tote-bag part
/// (SKU <c>PUBBAG</c>, production type HAT, publicly verifiable) in the first organization (<c>B001</c>) and
/// <c>--public-codes</c> serials of it, numbered exactly as the app's <see cref="SerialNumbering"/> numbers them
/// (<see cref="SerialCodeSigner"/>, up to 99,999 a day, skipping the sequence numbers whose check character would miss
/// a transposition), on consecutive days back from <c>--now</c>. Signed with <c>--public-codes-secret</c>: start the app
/// with the same secret as <c>Verification__Keys__B001__0</c> (bench/run.sh does).
/// </summary>
/// <remarks>
/// It also writes <c>--public-codes-file</c>: a sample of the codes for wrk to rotate through (evenly spread over all
/// of them, so the database cannot serve the run from a few hot pages), with one request in twenty a code that is not
/// genuine: a forged signature, a mistyped check character, or a genuine but unregistered code, in turn.
/// </remarks>
public sealed class PublicCodesGenerator : IGenerator
{
    public const string DefaultSecret = "bench-only-verification-secret-B001";
    public const string Sku = "PUBBAG";
    private const int PerDay = 90_000;

    public static readonly BenchOption Codes = new("public-codes", "10000", "publicly verifiable serials with signed codes in the first organization (verify scenario)");
    public static readonly BenchOption Secret = new("public-codes-secret", DefaultSecret, "signing secret of the first organization; the app needs it as Verification__Keys__B001__0");
    public static readonly BenchOption CodesFile = new("public-codes-file", "bench/out/verify-codes.txt", "where to write the codes the verify scenario requests");
    public static readonly BenchOption Sample = new("public-codes-sample", "20000", "how many codes the file holds (spread over all of them)");

    public string Name => "public codes";
    public int Order => 210;
    public IReadOnlyList<BenchOption> Options => [Codes, Secret, CodesFile, Sample];

    public async Task GenerateAsync(GenerationContext context, CancellationToken ct = default)
    {
        var count = context.Args.Int(Codes);
        if (count == 0 || context.Organizations.Count == 0) return;
        var org = context.Organizations[0];
        var secret = context.Args.String(Secret.Name, Secret.Default)!;
        var options = new VerificationKeyOptions();
        options.Keys[org.Code] = [secret];
        var signer = new SerialCodeSigner(Microsoft.Extensions.Options.Options.Create(options));

        var partId = context.IdsFor($"public-codes-part:{org.Code}").Next();
        await context.InsertAsync("Parts (verifiable)", [new Part
        {
            Id = partId, OrganizationId = org.Id, Number = "P-PUBBAG", Sku = Sku, Name = "Bench verifiable tote bag",
            Description = "Publicly verifiable part of the verify scenario", ProductionType = ProductionTypes.Hatthasilpa,
            PubliclyVerifiable = true, CreatedAt = context.Now.AddDays(-400),
        }], ct);

        // Codes are cheap to recompute; keep only the sample in memory, stream the rows.
        var sampleSize = Math.Min(context.Args.Int(Sample), count);
        var every = Math.Max(1, count / Math.Max(1, sampleSize));
        var sample = new List<string>(sampleSize);
        var lastSequence = new Dictionary<DateOnly, int>();
        var rnd = context.RandomFor($"public-codes:{org.Code}");
        var ids = context.IdsFor($"public-codes:{org.Code}");
        var today = DateOnly.FromDateTime(context.Now);

        IEnumerable<Serial> Rows()
        {
            var made = 0;
            var day = today;
            var sequence = 0;
            var perDay = 0;
            while (made < count)
            {
                sequence++;
                if (perDay == PerDay || sequence > SerialNumbering.MaxPublicSequence)
                {
                    day = day.AddDays(-1);
                    sequence = 1;
                    perDay = 0;
                }
                var code = signer.Issue(org.Code, ProductionTypes.Hatthasilpa, Sku, day, sequence);
                // The app never issues these (SerialNumbering): neither does the generator.
                if (!Iso7064Mod37_36.CatchesEveryAdjacentTransposition(code)) continue;
                lastSequence[day] = sequence;
                perDay++;
                if (made % every == 0 && sample.Count < sampleSize) sample.Add(code);
                made++;
                var created = day.ToDateTime(new TimeOnly(6, 0), DateTimeKind.Utc).AddSeconds(perDay * 0.5);
                var roll = rnd.Next(100);
                yield return new Serial
                {
                    Id = ids.Next(), OrganizationId = org.Id, SerialNumber = code, PartId = partId,
                    // Mostly active, like a real registry: some finished, a few scrapped or built into something else.
                    Status = roll < 2 ? SerialStatus.Scrapped : roll < 60 ? SerialStatus.Completed : SerialStatus.InProgress,
                    Consumed = roll is >= 2 and < 5,
                    CurrentStepIndex = roll is >= 2 and < 60 ? Serial.CompletedStepIndex : 0,
                    Origin = SerialOrigins.AutoJob, Scope = SerialScopes.Piece, Visibility = SerialVisibility.Public,
                    CreatedAt = created, UpdatedAt = created, CompletedAt = roll is >= 2 and < 60 ? created.AddHours(4) : null,
                    ScrappedAt = roll < 2 ? created.AddHours(2) : null, ScrapReason = roll < 2 ? "Bench scrap" : null,
                };
            }
        }
        await context.InsertAsync("Serials (public codes)", Rows(), ct);

        foreach (var (day, sequence) in lastSequence)
        {
            context.SetCounter(org.Id, $"pubcode:{ProductionTypes.Hatthasilpa}:{Sku}:{day:yyyyMMdd}", sequence);
        }

        var path = Path.GetFullPath(context.Args.String(CodesFile.Name, CodesFile.Default)!);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var lines = new List<string>(sample.Count + sample.Count / 19 + 1);
        var unregistered = today.AddDays(1);
        for (var i = 0; i < sample.Count; i++)
        {
            lines.Add(sample[i]);
            if (i % 19 != 18) continue;
            var bad = (i / 19 % 3) switch
            {
                0 => Forge(sample[i]),
                1 => sample[i][..^1] + (sample[i][^1] == '0' ? '1' : '0'),
                _ => signer.Issue(org.Code, ProductionTypes.Hatthasilpa, Sku, unregistered, i / 19 % 99_999 + 1),
            };
            lines.Add(bad);
        }
        await System.IO.File.WriteAllLinesAsync(path, lines, ct);
        GenerationContext.Log($"{count.ToString("N0", CultureInfo.InvariantCulture)} codes of {org.Code}/{Sku}; {lines.Count:N0} request codes ({lines.Count - sample.Count:N0} not genuine) in {path}");
    }

    /// <summary>A well-typed forgery: another signature with a correct check character.</summary>
    private static string Forge(string code)
    {
        var signed = code[..^2];
        var forged = signed[..^4] + (signed[^4] == 'Z' ? 'Y' : 'Z') + signed[^3..];
        return $"{forged}-{Iso7064Mod37_36.Compute(forged)}";
    }
}
