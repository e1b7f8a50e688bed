using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Operator.Infrastructure.Data.Migrations.Sqlite
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
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Origin = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
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
                SELECT "OrganizationId", date("CreatedAt"), "Origin", COUNT(*) FROM "Serials"
                GROUP BY "OrganizationId", date("CreatedAt"), "Origin";
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
