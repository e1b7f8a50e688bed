using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Operator.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HoldSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_QualityHolds_OrganizationId_HeldAt_Status_PriorityRank_HoldType",
                table: "QualityHolds",
                columns: new[] { "OrganizationId", "HeldAt", "Status", "PriorityRank", "HoldType" });

            migrationBuilder.CreateIndex(
                name: "IX_QualityHolds_OrganizationId_Status_PriorityRank_HeldAt",
                table: "QualityHolds",
                columns: new[] { "OrganizationId", "Status", "PriorityRank", "HeldAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_QualityHolds_OrganizationId_HeldAt_Status_PriorityRank_HoldType",
                table: "QualityHolds");

            migrationBuilder.DropIndex(
                name: "IX_QualityHolds_OrganizationId_Status_PriorityRank_HeldAt",
                table: "QualityHolds");
        }
    }
}
