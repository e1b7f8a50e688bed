using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Operator.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HoldItemDispositionsAndSignatures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Disposition",
                table: "QualityHoldItems",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "SignaturesRequired",
                table: "Organizations",
                type: "INTEGER",
                nullable: false,
                // Existing organizations start with signatures required, as new ones do (Organization.SignaturesRequired).
                defaultValue: true);

            migrationBuilder.CreateTable(
                name: "ElectronicSignatures",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecordType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RecordId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PrintedName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    UserEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    SignedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Meaning = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ElectronicSignatures", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ElectronicSignatures_OrganizationId",
                table: "ElectronicSignatures",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_ElectronicSignatures_OrganizationId_RecordType_RecordId",
                table: "ElectronicSignatures",
                columns: new[] { "OrganizationId", "RecordType", "RecordId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ElectronicSignatures");

            migrationBuilder.DropColumn(
                name: "Disposition",
                table: "QualityHoldItems");

            migrationBuilder.DropColumn(
                name: "SignaturesRequired",
                table: "Organizations");
        }
    }
}
