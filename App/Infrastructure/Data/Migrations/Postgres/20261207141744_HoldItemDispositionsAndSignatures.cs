using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Operator.Infrastructure.Data.Migrations.Postgres
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
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "SignaturesRequired",
                table: "Organizations",
                type: "boolean",
                nullable: false,
                // Existing organizations start with signatures required, as new ones do (Organization.SignaturesRequired).
                defaultValue: true);

            migrationBuilder.CreateTable(
                name: "ElectronicSignatures",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    RecordType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    RecordId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    PrintedName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    UserEmail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    SignedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Meaning = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Comment = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
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
