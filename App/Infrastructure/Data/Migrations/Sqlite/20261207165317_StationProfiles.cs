using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Operator.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StationProfiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "StationProfiles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    PathId = table.Column<Guid>(type: "TEXT", nullable: true),
                    StepCodes = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Actions = table.Column<int>(type: "INTEGER", nullable: false),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StationProfiles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StationProfiles_ProcessPaths_PathId",
                        column: x => x.PathId,
                        principalTable: "ProcessPaths",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Serials_StationQueue",
                table: "Serials",
                columns: new[] { "OrganizationId", "PathId", "CurrentStepIndex", "Status", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SerialStepEvents_StationDone",
                table: "SerialStepEvents",
                columns: new[] { "OrganizationId", "StepId", "Event", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_StationProfiles_OrganizationId",
                table: "StationProfiles",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_StationProfiles_OrganizationId_Name",
                table: "StationProfiles",
                columns: new[] { "OrganizationId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_StationProfiles_PathId",
                table: "StationProfiles",
                column: "PathId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "StationProfiles");

            migrationBuilder.DropIndex(
                name: "IX_Serials_StationQueue",
                table: "Serials");

            migrationBuilder.DropIndex(
                name: "IX_SerialStepEvents_StationDone",
                table: "SerialStepEvents");
        }
    }
}
