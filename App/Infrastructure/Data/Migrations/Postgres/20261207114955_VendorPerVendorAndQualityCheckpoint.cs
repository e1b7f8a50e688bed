using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Operator.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class VendorPerVendorAndQualityCheckpoint : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_VendorSerials_OrganizationId_PartId_VendorSerialNumber",
                table: "VendorSerials");

            migrationBuilder.AddColumn<bool>(
                name: "IsQualityCheckpoint",
                table: "ProcessSteps",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_VendorSerials_OrganizationId_PartId_VendorName_VendorSerial~",
                table: "VendorSerials",
                columns: new[] { "OrganizationId", "PartId", "VendorName", "VendorSerialNumber" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_VendorSerials_OrganizationId_PartId_VendorName_VendorSerial~",
                table: "VendorSerials");

            migrationBuilder.DropColumn(
                name: "IsQualityCheckpoint",
                table: "ProcessSteps");

            migrationBuilder.CreateIndex(
                name: "IX_VendorSerials_OrganizationId_PartId_VendorSerialNumber",
                table: "VendorSerials",
                columns: new[] { "OrganizationId", "PartId", "VendorSerialNumber" },
                unique: true);
        }
    }
}
