using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Operator.Features.Holds;
using Operator.Features.Serials;

namespace Operator.Features.Home;

/// <summary>
/// The indexes the dashboard's counts read instead of the tables (each count is an index range, or index-only): they
/// are the dashboard's, so they are declared beside it, on top of each feature's own configuration.
/// </summary>
internal sealed class DashboardIndexes : IEntityTypeConfiguration<Serial>, IEntityTypeConfiguration<QualityHold>, IEntityTypeConfiguration<SerialStepEvent>
{
    public void Configure(EntityTypeBuilder<Serial> b)
    {
        // Serials created per day by origin: a range of the last 30 days.
        b.HasIndex(x => new { x.OrganizationId, x.CreatedAt, x.Origin }).HasDatabaseName("IX_Serials_Dashboard_Created");
        // Units at each step of each path: only units on a path, grouped without touching the rows.
        b.HasIndex(x => new { x.OrganizationId, x.Status, x.PathId, x.CurrentStepIndex }).HasDatabaseName("IX_Serials_Dashboard_Wip");
    }

    // Holds closed per day: a range of the last 30 days of releases.
    public void Configure(EntityTypeBuilder<QualityHold> b) =>
        b.HasIndex(x => new { x.OrganizationId, x.ReleasedAt }).HasDatabaseName("IX_QualityHolds_Dashboard_Released");

    // An operator's own work today: a range of one user's step events.
    public void Configure(EntityTypeBuilder<SerialStepEvent> b) =>
        b.HasIndex(x => new { x.OrganizationId, x.UserId, x.At }).HasDatabaseName("IX_SerialStepEvents_Dashboard_User");
}
