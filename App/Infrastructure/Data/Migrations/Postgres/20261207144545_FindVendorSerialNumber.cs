using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Operator.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FindVendorSerialNumber : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_VendorSerials_OrganizationId_VendorSerialNumber",
                table: "VendorSerials",
                columns: new[] { "OrganizationId", "VendorSerialNumber" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_VendorSerials_OrganizationId_VendorSerialNumber",
                table: "VendorSerials");
        }
    }
}
