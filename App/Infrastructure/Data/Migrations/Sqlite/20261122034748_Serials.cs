using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Operator.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Serials : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ProductionType",
                table: "Parts",
                type: "TEXT",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "PubliclyVerifiable",
                table: "Parts",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "VerificationPrivacy",
                table: "Organizations",
                type: "TEXT",
                maxLength: 10,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "Certificates",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Issuer = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    IssuedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    DocumentName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    DocumentContentType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    DocumentSize = table.Column<long>(type: "INTEGER", nullable: true),
                    DocumentSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Certificates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Placeholders",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkOrderId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OperationCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SerialNumber = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    SerialId = table.Column<Guid>(type: "TEXT", nullable: true),
                    FailureReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AssignedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    AssignedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FailedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    FailedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Placeholders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Placeholders_Parts_PartId",
                        column: x => x.PartId,
                        principalTable: "Parts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Placeholders_WorkOrders_WorkOrderId",
                        column: x => x.WorkOrderId,
                        principalTable: "WorkOrders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SerialFormats",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Pattern = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ResetPolicy = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    ProductionType = table.Column<string>(type: "TEXT", maxLength: 3, nullable: true),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SerialFormats", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Serials",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SerialNumber = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    PartId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkOrderId = table.Column<Guid>(type: "TEXT", nullable: true),
                    BatchId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PathId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CurrentStepIndex = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Consumed = table.Column<bool>(type: "INTEGER", nullable: false),
                    Origin = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Visibility = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    SiteId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    FormatId = table.Column<Guid>(type: "TEXT", nullable: true),
                    TriggerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ScrapReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CancelReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ScrappedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Serials", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Serials_Batches_BatchId",
                        column: x => x.BatchId,
                        principalTable: "Batches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Serials_Parts_PartId",
                        column: x => x.PartId,
                        principalTable: "Parts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Serials_ProcessPaths_PathId",
                        column: x => x.PathId,
                        principalTable: "ProcessPaths",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Serials_WorkOrders_WorkOrderId",
                        column: x => x.WorkOrderId,
                        principalTable: "WorkOrders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "UniquenessConflicts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SerialNumber = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    PartId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Scopes = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ConflictingSerialIds = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Resolution = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    RetiredSerialId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ResolutionReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ResolvedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    ResolvedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UniquenessConflicts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "UniquenessRegistrations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SerialNumber = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    PartId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SerialId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SiteId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    SiteLevel = table.Column<bool>(type: "INTEGER", nullable: false),
                    EnterpriseLevel = table.Column<bool>(type: "INTEGER", nullable: false),
                    PartTypeLevel = table.Column<bool>(type: "INTEGER", nullable: false),
                    HasConflict = table.Column<bool>(type: "INTEGER", nullable: false),
                    RegisteredAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UniquenessRegistrations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "VendorSerials",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    VendorSerialNumber = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    VendorName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    PartId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    InternalSerialId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AcceptedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    AcceptedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RejectionReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    RejectedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    RejectedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VendorSerials", x => x.Id);
                    table.ForeignKey(
                        name: "FK_VendorSerials_Parts_PartId",
                        column: x => x.PartId,
                        principalTable: "Parts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CertificateDocuments",
                columns: table => new
                {
                    CertificateId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CertificateDocuments", x => x.CertificateId);
                    table.ForeignKey(
                        name: "FK_CertificateDocuments_Certificates_CertificateId",
                        column: x => x.CertificateId,
                        principalTable: "Certificates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SerialTriggers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TriggerType = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    AssignmentType = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    FormatId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OperationCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    IsConditional = table.Column<bool>(type: "INTEGER", nullable: false),
                    Conditions = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    BatchMode = table.Column<bool>(type: "INTEGER", nullable: false),
                    BatchSize = table.Column<int>(type: "INTEGER", nullable: true),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    FiredCount = table.Column<long>(type: "INTEGER", nullable: false),
                    LastFiredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SerialTriggers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SerialTriggers_Parts_PartId",
                        column: x => x.PartId,
                        principalTable: "Parts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SerialTriggers_SerialFormats_FormatId",
                        column: x => x.FormatId,
                        principalTable: "SerialFormats",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CertAttachments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SerialId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CertificateId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StepId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AttachedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    AttachedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CertAttachments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CertAttachments_Certificates_CertificateId",
                        column: x => x.CertificateId,
                        principalTable: "Certificates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CertAttachments_ProcessSteps_StepId",
                        column: x => x.StepId,
                        principalTable: "ProcessSteps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CertAttachments_Serials_SerialId",
                        column: x => x.SerialId,
                        principalTable: "Serials",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SerialLinks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    GroupId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SourceSerialId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TargetSerialId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    OperationCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    RoutingSequence = table.Column<int>(type: "INTEGER", nullable: false),
                    WorkCenterId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Quantity = table.Column<double>(type: "REAL", nullable: false),
                    PartId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SerialLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SerialLinks_Serials_SourceSerialId",
                        column: x => x.SourceSerialId,
                        principalTable: "Serials",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SerialLinks_Serials_TargetSerialId",
                        column: x => x.TargetSerialId,
                        principalTable: "Serials",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SerialStepEvents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SerialId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StepId = table.Column<Guid>(type: "TEXT", nullable: true),
                    StepIndex = table.Column<int>(type: "INTEGER", nullable: false),
                    StepName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Event = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SerialStepEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SerialStepEvents_Serials_SerialId",
                        column: x => x.SerialId,
                        principalTable: "Serials",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CertAttachments_CertificateId",
                table: "CertAttachments",
                column: "CertificateId");

            migrationBuilder.CreateIndex(
                name: "IX_CertAttachments_OrganizationId",
                table: "CertAttachments",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_CertAttachments_SerialId_CertificateId_StepId",
                table: "CertAttachments",
                columns: new[] { "SerialId", "CertificateId", "StepId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CertAttachments_StepId",
                table: "CertAttachments",
                column: "StepId");

            migrationBuilder.CreateIndex(
                name: "IX_CertificateDocuments_OrganizationId",
                table: "CertificateDocuments",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_Certificates_OrganizationId",
                table: "Certificates",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_Certificates_OrganizationId_Number",
                table: "Certificates",
                columns: new[] { "OrganizationId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Placeholders_OrganizationId",
                table: "Placeholders",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_Placeholders_OrganizationId_PartId_Status",
                table: "Placeholders",
                columns: new[] { "OrganizationId", "PartId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Placeholders_OrganizationId_Status_WorkOrderId",
                table: "Placeholders",
                columns: new[] { "OrganizationId", "Status", "WorkOrderId" });

            migrationBuilder.CreateIndex(
                name: "IX_Placeholders_PartId",
                table: "Placeholders",
                column: "PartId");

            migrationBuilder.CreateIndex(
                name: "IX_Placeholders_WorkOrderId",
                table: "Placeholders",
                column: "WorkOrderId");

            migrationBuilder.CreateIndex(
                name: "IX_SerialFormats_OrganizationId",
                table: "SerialFormats",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_SerialFormats_OrganizationId_Name",
                table: "SerialFormats",
                columns: new[] { "OrganizationId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SerialLinks_GroupId",
                table: "SerialLinks",
                column: "GroupId");

            migrationBuilder.CreateIndex(
                name: "IX_SerialLinks_OrganizationId",
                table: "SerialLinks",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_SerialLinks_OrganizationId_PartId_Type",
                table: "SerialLinks",
                columns: new[] { "OrganizationId", "PartId", "Type" });

            migrationBuilder.CreateIndex(
                name: "IX_SerialLinks_SourceSerialId_TargetSerialId",
                table: "SerialLinks",
                columns: new[] { "SourceSerialId", "TargetSerialId" });

            migrationBuilder.CreateIndex(
                name: "IX_SerialLinks_TargetSerialId_SourceSerialId",
                table: "SerialLinks",
                columns: new[] { "TargetSerialId", "SourceSerialId" });

            migrationBuilder.CreateIndex(
                name: "IX_SerialStepEvents_OrganizationId",
                table: "SerialStepEvents",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_SerialStepEvents_SerialId_At",
                table: "SerialStepEvents",
                columns: new[] { "SerialId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_SerialTriggers_FormatId",
                table: "SerialTriggers",
                column: "FormatId");

            migrationBuilder.CreateIndex(
                name: "IX_SerialTriggers_OrganizationId",
                table: "SerialTriggers",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_SerialTriggers_OrganizationId_PartId_TriggerType_IsActive",
                table: "SerialTriggers",
                columns: new[] { "OrganizationId", "PartId", "TriggerType", "IsActive" });

            migrationBuilder.CreateIndex(
                name: "IX_SerialTriggers_PartId",
                table: "SerialTriggers",
                column: "PartId");

            migrationBuilder.CreateIndex(
                name: "IX_Serials_BatchId",
                table: "Serials",
                column: "BatchId");

            migrationBuilder.CreateIndex(
                name: "IX_Serials_OrganizationId",
                table: "Serials",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_Serials_OrganizationId_PartId_Status",
                table: "Serials",
                columns: new[] { "OrganizationId", "PartId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Serials_OrganizationId_SerialNumber",
                table: "Serials",
                columns: new[] { "OrganizationId", "SerialNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_Serials_PartId",
                table: "Serials",
                column: "PartId");

            migrationBuilder.CreateIndex(
                name: "IX_Serials_PathId",
                table: "Serials",
                column: "PathId");

            migrationBuilder.CreateIndex(
                name: "IX_Serials_SerialNumber",
                table: "Serials",
                column: "SerialNumber");

            migrationBuilder.CreateIndex(
                name: "IX_Serials_WorkOrderId",
                table: "Serials",
                column: "WorkOrderId");

            migrationBuilder.CreateIndex(
                name: "IX_UniquenessConflicts_OrganizationId",
                table: "UniquenessConflicts",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_UniquenessConflicts_OrganizationId_SerialNumber_PartId",
                table: "UniquenessConflicts",
                columns: new[] { "OrganizationId", "SerialNumber", "PartId" });

            migrationBuilder.CreateIndex(
                name: "IX_UniquenessConflicts_OrganizationId_Status_PartId",
                table: "UniquenessConflicts",
                columns: new[] { "OrganizationId", "Status", "PartId" });

            migrationBuilder.CreateIndex(
                name: "IX_UniquenessRegistrations_OrganizationId",
                table: "UniquenessRegistrations",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_UniquenessRegistrations_OrganizationId_SerialNumber_PartId",
                table: "UniquenessRegistrations",
                columns: new[] { "OrganizationId", "SerialNumber", "PartId" });

            migrationBuilder.CreateIndex(
                name: "IX_UniquenessRegistrations_SerialNumber",
                table: "UniquenessRegistrations",
                column: "SerialNumber");

            migrationBuilder.CreateIndex(
                name: "IX_VendorSerials_OrganizationId",
                table: "VendorSerials",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_VendorSerials_OrganizationId_PartId_Status",
                table: "VendorSerials",
                columns: new[] { "OrganizationId", "PartId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_VendorSerials_OrganizationId_PartId_VendorSerialNumber",
                table: "VendorSerials",
                columns: new[] { "OrganizationId", "PartId", "VendorSerialNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_VendorSerials_PartId",
                table: "VendorSerials",
                column: "PartId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CertAttachments");

            migrationBuilder.DropTable(
                name: "CertificateDocuments");

            migrationBuilder.DropTable(
                name: "Placeholders");

            migrationBuilder.DropTable(
                name: "SerialLinks");

            migrationBuilder.DropTable(
                name: "SerialStepEvents");

            migrationBuilder.DropTable(
                name: "SerialTriggers");

            migrationBuilder.DropTable(
                name: "UniquenessConflicts");

            migrationBuilder.DropTable(
                name: "UniquenessRegistrations");

            migrationBuilder.DropTable(
                name: "VendorSerials");

            migrationBuilder.DropTable(
                name: "Certificates");

            migrationBuilder.DropTable(
                name: "Serials");

            migrationBuilder.DropTable(
                name: "SerialFormats");

            migrationBuilder.DropColumn(
                name: "ProductionType",
                table: "Parts");

            migrationBuilder.DropColumn(
                name: "PubliclyVerifiable",
                table: "Parts");

            migrationBuilder.DropColumn(
                name: "VerificationPrivacy",
                table: "Organizations");
        }
    }
}
