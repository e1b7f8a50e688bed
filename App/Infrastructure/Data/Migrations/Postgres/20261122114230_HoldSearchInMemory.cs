using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Operator.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HoldSearchInMemory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_QualityHolds_OrganizationId_SearchText",
                table: "QualityHolds");

            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "QualityHolds");

            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:PostgresExtension:btree_gin", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.CreateIndex(
                name: "IX_QualityHolds_OrganizationId_UpdatedAt",
                table: "QualityHolds",
                columns: new[] { "OrganizationId", "UpdatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_QualityHolds_OrganizationId_UpdatedAt",
                table: "QualityHolds");

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:btree_gin", ",,")
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.AddColumn<string>(
                name: "SearchText",
                table: "QualityHolds",
                type: "text",
                nullable: true,
                computedColumnSql: "lower(\"HoldNumber\"::text || ' ' || \"Reason\"::text)",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "IX_QualityHolds_OrganizationId_SearchText",
                table: "QualityHolds",
                columns: new[] { "OrganizationId", "SearchText" })
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "uuid_ops", "gin_trgm_ops" });
        }
    }
}
