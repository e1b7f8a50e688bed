using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Operator.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HoldTallies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HoldTallies",
                columns: table => new
                {
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    PriorityRank = table.Column<int>(type: "integer", nullable: false),
                    HoldType = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HoldTallies", x => new { x.OrganizationId, x.Status, x.PriorityRank, x.HoldType });
                });

            migrationBuilder.CreateIndex(
                name: "IX_HoldTallies_OrganizationId",
                table: "HoldTallies",
                column: "OrganizationId");

            // Existing holds are counted once; from here on the hold service keeps the tallies.
            migrationBuilder.Sql(
                """
                INSERT INTO "HoldTallies" ("OrganizationId", "Status", "PriorityRank", "HoldType", "Count")
                SELECT "OrganizationId", "Status", "PriorityRank", "HoldType", COUNT(*) FROM "QualityHolds"
                GROUP BY "OrganizationId", "Status", "PriorityRank", "HoldType";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HoldTallies");
        }
    }
}
