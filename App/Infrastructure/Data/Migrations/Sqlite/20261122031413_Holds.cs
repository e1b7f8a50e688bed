using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Operator.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Holds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "QualityHolds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HoldNumber = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Priority = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PriorityRank = table.Column<int>(type: "INTEGER", nullable: false),
                    HoldType = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    ItemsCount = table.Column<int>(type: "INTEGER", nullable: false),
                    HeldById = table.Column<Guid>(type: "TEXT", nullable: false),
                    HeldAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReleasedById = table.Column<Guid>(type: "TEXT", nullable: true),
                    ReleasedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Disposition = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    ReleaseNotes = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    DisposedById = table.Column<Guid>(type: "TEXT", nullable: true),
                    DisposedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    NcrId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedById = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedById = table.Column<Guid>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QualityHolds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QualityHolds_AspNetUsers_HeldById",
                        column: x => x.HeldById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_QualityHolds_AspNetUsers_ReleasedById",
                        column: x => x.ReleasedById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "QualityHoldItems",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HoldId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    ReferenceType = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    ReferenceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReferenceDisplay = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    QuantityHeld = table.Column<double>(type: "REAL", nullable: true),
                    Uom = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    LocationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    LocationName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    QaStatusBefore = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    QaStatusAfter = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QualityHoldItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QualityHoldItems_QualityHolds_HoldId",
                        column: x => x.HoldId,
                        principalTable: "QualityHolds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_QualityHoldItems_HoldId_ReferenceType_ReferenceId",
                table: "QualityHoldItems",
                columns: new[] { "HoldId", "ReferenceType", "ReferenceId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_QualityHoldItems_OrganizationId",
                table: "QualityHoldItems",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_QualityHoldItems_OrganizationId_ReferenceType_ReferenceId",
                table: "QualityHoldItems",
                columns: new[] { "OrganizationId", "ReferenceType", "ReferenceId" });

            migrationBuilder.CreateIndex(
                name: "IX_QualityHolds_HeldById",
                table: "QualityHolds",
                column: "HeldById");

            migrationBuilder.CreateIndex(
                name: "IX_QualityHolds_HoldNumber",
                table: "QualityHolds",
                column: "HoldNumber");

            migrationBuilder.CreateIndex(
                name: "IX_QualityHolds_OrganizationId",
                table: "QualityHolds",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_QualityHolds_OrganizationId_HoldNumber",
                table: "QualityHolds",
                columns: new[] { "OrganizationId", "HoldNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_QualityHolds_OrganizationId_PriorityRank_HeldAt",
                table: "QualityHolds",
                columns: new[] { "OrganizationId", "PriorityRank", "HeldAt" });

            migrationBuilder.CreateIndex(
                name: "IX_QualityHolds_OrganizationId_Status_HeldAt",
                table: "QualityHolds",
                columns: new[] { "OrganizationId", "Status", "HeldAt" },
                descending: new[] { false, false, true });

            migrationBuilder.CreateIndex(
                name: "IX_QualityHolds_ReleasedById",
                table: "QualityHolds",
                column: "ReleasedById");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QualityHoldItems");

            migrationBuilder.DropTable(
                name: "QualityHolds");
        }
    }
}
