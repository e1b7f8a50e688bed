using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Operator.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SerialDayTallies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SerialDayTallies",
                columns: table => new
                {
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Origin = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SerialDayTallies", x => new { x.OrganizationId, x.Day, x.Origin });
                });

            migrationBuilder.CreateIndex(
                name: "IX_SerialDayTallies_OrganizationId",
                table: "SerialDayTallies",
                column: "OrganizationId");

            // Existing serials are counted once per organization, UTC day and origin; from here on every insert path
            // keeps the tallies.
            migrationBuilder.Sql(
                """
                INSERT INTO "SerialDayTallies" ("OrganizationId", "Day", "Origin", "Count")
                SELECT "OrganizationId", ("CreatedAt" AT TIME ZONE 'UTC')::date, "Origin", COUNT(*) FROM "Serials"
                GROUP BY "OrganizationId", ("CreatedAt" AT TIME ZONE 'UTC')::date, "Origin";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SerialDayTallies");
        }
    }
}
