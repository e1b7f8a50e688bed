using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Operator.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SerialLinkStationAndDashboards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "StationName",
                table: "SerialLinks",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "VerificationScanDays",
                columns: table => new
                {
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Genuine = table.Column<long>(type: "INTEGER", nullable: false),
                    NotGenuine = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VerificationScanDays", x => new { x.OrganizationId, x.Day });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Serials_Dashboard_Created",
                table: "Serials",
                columns: new[] { "OrganizationId", "CreatedAt", "Origin" });

            migrationBuilder.CreateIndex(
                name: "IX_Serials_Dashboard_Wip",
                table: "Serials",
                columns: new[] { "OrganizationId", "Status", "PathId", "CurrentStepIndex" });

            migrationBuilder.CreateIndex(
                name: "IX_SerialStepEvents_Dashboard_User",
                table: "SerialStepEvents",
                columns: new[] { "OrganizationId", "UserId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_QualityHolds_Dashboard_Released",
                table: "QualityHolds",
                columns: new[] { "OrganizationId", "ReleasedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_VerificationScanDays_OrganizationId",
                table: "VerificationScanDays",
                column: "OrganizationId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "VerificationScanDays");

            migrationBuilder.DropIndex(
                name: "IX_Serials_Dashboard_Created",
                table: "Serials");

            migrationBuilder.DropIndex(
                name: "IX_Serials_Dashboard_Wip",
                table: "Serials");

            migrationBuilder.DropIndex(
                name: "IX_SerialStepEvents_Dashboard_User",
                table: "SerialStepEvents");

            migrationBuilder.DropIndex(
                name: "IX_QualityHolds_Dashboard_Released",
                table: "QualityHolds");

            migrationBuilder.DropColumn(
                name: "StationName",
                table: "SerialLinks");
        }
    }
}
