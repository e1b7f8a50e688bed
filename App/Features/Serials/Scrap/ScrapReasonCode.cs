using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Serials;

/// <summary>
/// One reason from the organization's scrap list (DAMAGED, DIMENSIONAL, ...). The code is what reports and API callers
/// key on and never changes; the label is what people read and may be reworded. A code is never deleted (serials name
/// it for good): taking it out of use is <see cref="Active"/> = false.
/// </summary>
public sealed class ScrapReasonCode : ITenantOwned
{
    public Guid OrganizationId { get; set; }
    public required string Code { get; set; }
    public required string Label { get; set; }
    public bool Active { get; set; } = true;

    /// <summary>Scrapping with this code also needs a written reason ("Other: what exactly").</summary>
    public bool RequiresText { get; set; }

    /// <summary>Position in the list the station offers; new codes go last.</summary>
    public int Position { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class ScrapReasonCodeConfiguration : IEntityTypeConfiguration<ScrapReasonCode>
{
    public void Configure(EntityTypeBuilder<ScrapReasonCode> b)
    {
        b.ToTable("ScrapReasonCodes");
        // The organization's codes are one list: the key says a code exists once per organization.
        b.HasKey(x => new { x.OrganizationId, x.Code });
        b.Property(x => x.Code).HasMaxLength(ScrapReasonRules.CodeMax);
        b.Property(x => x.Label).HasMaxLength(ScrapReasonRules.LabelMax);
    }
}

/// <summary>
/// The list every organization starts with. New organizations get it from their creator (the demo seed, the bench
/// generator); any organization without a single code (one that existed before the list did, or one created some other
/// way) gets it on the next start (<see cref="EnsureAsync"/>). An organization that has codes is never touched again,
/// so an administrator's changes stay.
/// </summary>
public sealed class ScrapReasonDefaults(TimeProvider time) : ISchemaExtension, IDemoSeed
{
    public const string Other = "OTHER";

    public static readonly IReadOnlyList<(string Code, string Label, bool RequiresText)> List =
    [
        ("DAMAGED", "Damaged", false),
        ("DIMENSIONAL", "Dimensional (out of tolerance)", false),
        ("MATERIAL_DEFECT", "Material defect", false),
        ("OPERATOR_ERROR", "Operator error", false),
        (Other, "Other (say what)", true),
    ];

    public static IEnumerable<ScrapReasonCode> For(Guid organizationId, DateTime now) =>
        List.Select((d, i) => new ScrapReasonCode
        {
            OrganizationId = organizationId, Code = d.Code, Label = d.Label, RequiresText = d.RequiresText, Position = i + 1, CreatedAt = now, UpdatedAt = now,
        });

    // Before the serials' seed, which scraps a unit with one of these codes.
    public int Order => 5;

    public Task SeedAsync(DemoContext context, CancellationToken ct)
    {
        context.Db.AddRange(For(context.Organization.Id, context.Now));
        return Task.CompletedTask;
    }

    public async Task EnsureAsync(OperatorDb db, CancellationToken ct)
    {
        var missing = await db.Organizations.AsNoTracking()
            .Where(o => !db.Set<ScrapReasonCode>().IgnoreQueryFilters().Any(c => c.OrganizationId == o.Id))
            .Select(o => o.Id).ToListAsync(ct);
        if (missing.Count == 0) return;
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var org in missing) db.AddRange(For(org, now));
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }
}
