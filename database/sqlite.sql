CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);

BEGIN TRANSACTION;
CREATE TABLE "AuditEntries" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AuditEntries" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "Sequence" INTEGER NOT NULL,
    "At" TEXT NOT NULL,
    "UserId" TEXT NULL,
    "UserEmail" TEXT NULL,
    "Action" TEXT NOT NULL,
    "EntityType" TEXT NOT NULL,
    "EntityId" TEXT NOT NULL,
    "Before" TEXT NULL,
    "After" TEXT NULL,
    "PreviousHash" TEXT NOT NULL,
    "Hash" TEXT NOT NULL
);

CREATE TABLE "Counters" (
    "OrganizationId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Value" INTEGER NOT NULL,
    CONSTRAINT "PK_Counters" PRIMARY KEY ("OrganizationId", "Name")
);

CREATE TABLE "Locations" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Locations" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "Code" TEXT NOT NULL,
    "Name" TEXT NOT NULL
);

CREATE TABLE "Organizations" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Organizations" PRIMARY KEY,
    "Code" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL
);

CREATE TABLE "Parts" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Parts" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "Number" TEXT NOT NULL,
    "Sku" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Description" TEXT NULL,
    "Uom" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL
);

CREATE TABLE "AspNetUsers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "DisplayName" TEXT NOT NULL,
    "Role" TEXT NOT NULL,
    "IsActive" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UserName" TEXT NULL,
    "NormalizedUserName" TEXT NULL,
    "Email" TEXT NULL,
    "NormalizedEmail" TEXT NULL,
    "EmailConfirmed" INTEGER NOT NULL,
    "PasswordHash" TEXT NULL,
    "SecurityStamp" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL,
    "PhoneNumber" TEXT NULL,
    "PhoneNumberConfirmed" INTEGER NOT NULL,
    "TwoFactorEnabled" INTEGER NOT NULL,
    "LockoutEnd" TEXT NULL,
    "LockoutEnabled" INTEGER NOT NULL,
    "AccessFailedCount" INTEGER NOT NULL,
    CONSTRAINT "FK_AspNetUsers_Organizations_OrganizationId" FOREIGN KEY ("OrganizationId") REFERENCES "Organizations" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "Batches" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Batches" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "Number" TEXT NOT NULL,
    "PartId" TEXT NOT NULL,
    "Quantity" REAL NOT NULL,
    "Uom" TEXT NOT NULL,
    "ProducedAt" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_Batches_Parts_PartId" FOREIGN KEY ("PartId") REFERENCES "Parts" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "LicensePlates" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_LicensePlates" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "Number" TEXT NOT NULL,
    "PartId" TEXT NOT NULL,
    "Quantity" REAL NOT NULL,
    "Uom" TEXT NOT NULL,
    "LocationId" TEXT NULL,
    "QaStatus" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_LicensePlates_Locations_LocationId" FOREIGN KEY ("LocationId") REFERENCES "Locations" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_LicensePlates_Parts_PartId" FOREIGN KEY ("PartId") REFERENCES "Parts" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "ProcessPaths" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ProcessPaths" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "Code" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "PartId" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_ProcessPaths_Parts_PartId" FOREIGN KEY ("PartId") REFERENCES "Parts" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "AspNetUserClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserLogins" (
    "LoginProvider" TEXT NOT NULL,
    "ProviderKey" TEXT NOT NULL,
    "ProviderDisplayName" TEXT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
    CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserTokens" (
    "UserId" TEXT NOT NULL,
    "LoginProvider" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Value" TEXT NULL,
    CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
    CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "ProcessSteps" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ProcessSteps" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "PathId" TEXT NOT NULL,
    "Sequence" INTEGER NOT NULL,
    "Code" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    CONSTRAINT "FK_ProcessSteps_ProcessPaths_PathId" FOREIGN KEY ("PathId") REFERENCES "ProcessPaths" ("Id") ON DELETE CASCADE
);

CREATE TABLE "WorkOrders" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_WorkOrders" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "Number" TEXT NOT NULL,
    "PartId" TEXT NOT NULL,
    "PathId" TEXT NOT NULL,
    "Quantity" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "DueAt" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_WorkOrders_Parts_PartId" FOREIGN KEY ("PartId") REFERENCES "Parts" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_WorkOrders_ProcessPaths_PathId" FOREIGN KEY ("PathId") REFERENCES "ProcessPaths" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");

CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");

CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");

CREATE INDEX "IX_AspNetUsers_OrganizationId_Email" ON "AspNetUsers" ("OrganizationId", "Email");

CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");

CREATE INDEX "IX_AuditEntries_OrganizationId" ON "AuditEntries" ("OrganizationId");

CREATE INDEX "IX_AuditEntries_OrganizationId_EntityType_EntityId" ON "AuditEntries" ("OrganizationId", "EntityType", "EntityId");

CREATE UNIQUE INDEX "IX_AuditEntries_OrganizationId_Sequence" ON "AuditEntries" ("OrganizationId", "Sequence");

CREATE INDEX "IX_Batches_OrganizationId" ON "Batches" ("OrganizationId");

CREATE UNIQUE INDEX "IX_Batches_OrganizationId_Number" ON "Batches" ("OrganizationId", "Number");

CREATE INDEX "IX_Batches_PartId" ON "Batches" ("PartId");

CREATE INDEX "IX_LicensePlates_LocationId" ON "LicensePlates" ("LocationId");

CREATE INDEX "IX_LicensePlates_OrganizationId" ON "LicensePlates" ("OrganizationId");

CREATE UNIQUE INDEX "IX_LicensePlates_OrganizationId_Number" ON "LicensePlates" ("OrganizationId", "Number");

CREATE INDEX "IX_LicensePlates_OrganizationId_QaStatus" ON "LicensePlates" ("OrganizationId", "QaStatus");

CREATE INDEX "IX_LicensePlates_PartId" ON "LicensePlates" ("PartId");

CREATE INDEX "IX_Locations_OrganizationId" ON "Locations" ("OrganizationId");

CREATE UNIQUE INDEX "IX_Locations_OrganizationId_Code" ON "Locations" ("OrganizationId", "Code");

CREATE UNIQUE INDEX "IX_Organizations_Code" ON "Organizations" ("Code");

CREATE INDEX "IX_Parts_OrganizationId" ON "Parts" ("OrganizationId");

CREATE UNIQUE INDEX "IX_Parts_OrganizationId_Number" ON "Parts" ("OrganizationId", "Number");

CREATE UNIQUE INDEX "IX_Parts_OrganizationId_Sku" ON "Parts" ("OrganizationId", "Sku");

CREATE INDEX "IX_ProcessPaths_OrganizationId" ON "ProcessPaths" ("OrganizationId");

CREATE UNIQUE INDEX "IX_ProcessPaths_OrganizationId_Code" ON "ProcessPaths" ("OrganizationId", "Code");

CREATE INDEX "IX_ProcessPaths_PartId" ON "ProcessPaths" ("PartId");

CREATE INDEX "IX_ProcessSteps_OrganizationId" ON "ProcessSteps" ("OrganizationId");

CREATE UNIQUE INDEX "IX_ProcessSteps_PathId_Sequence" ON "ProcessSteps" ("PathId", "Sequence");

CREATE INDEX "IX_WorkOrders_OrganizationId" ON "WorkOrders" ("OrganizationId");

CREATE UNIQUE INDEX "IX_WorkOrders_OrganizationId_Number" ON "WorkOrders" ("OrganizationId", "Number");

CREATE INDEX "IX_WorkOrders_PartId" ON "WorkOrders" ("PartId");

CREATE INDEX "IX_WorkOrders_PathId" ON "WorkOrders" ("PathId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261122030207_Initial', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "QualityHolds" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_QualityHolds" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "HoldNumber" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Priority" TEXT NOT NULL,
    "PriorityRank" INTEGER NOT NULL,
    "HoldType" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "ItemsCount" INTEGER NOT NULL,
    "HeldById" TEXT NOT NULL,
    "HeldAt" TEXT NOT NULL,
    "ReleasedById" TEXT NULL,
    "ReleasedAt" TEXT NULL,
    "Disposition" TEXT NULL,
    "ReleaseNotes" TEXT NULL,
    "DisposedById" TEXT NULL,
    "DisposedAt" TEXT NULL,
    "NcrId" TEXT NULL,
    "CreatedById" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedById" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    CONSTRAINT "FK_QualityHolds_AspNetUsers_HeldById" FOREIGN KEY ("HeldById") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_QualityHolds_AspNetUsers_ReleasedById" FOREIGN KEY ("ReleasedById") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "QualityHoldItems" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_QualityHoldItems" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "HoldId" TEXT NOT NULL,
    "Sequence" INTEGER NOT NULL,
    "ReferenceType" TEXT NOT NULL,
    "ReferenceId" TEXT NOT NULL,
    "ReferenceDisplay" TEXT NOT NULL,
    "QuantityHeld" REAL NULL,
    "Uom" TEXT NULL,
    "LocationId" TEXT NULL,
    "LocationName" TEXT NULL,
    "Notes" TEXT NULL,
    "QaStatusBefore" TEXT NULL,
    "QaStatusAfter" TEXT NULL,
    CONSTRAINT "FK_QualityHoldItems_QualityHolds_HoldId" FOREIGN KEY ("HoldId") REFERENCES "QualityHolds" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_QualityHoldItems_HoldId_ReferenceType_ReferenceId" ON "QualityHoldItems" ("HoldId", "ReferenceType", "ReferenceId");

CREATE INDEX "IX_QualityHoldItems_OrganizationId" ON "QualityHoldItems" ("OrganizationId");

CREATE INDEX "IX_QualityHoldItems_OrganizationId_ReferenceType_ReferenceId" ON "QualityHoldItems" ("OrganizationId", "ReferenceType", "ReferenceId");

CREATE INDEX "IX_QualityHolds_HeldById" ON "QualityHolds" ("HeldById");

CREATE INDEX "IX_QualityHolds_HoldNumber" ON "QualityHolds" ("HoldNumber");

CREATE INDEX "IX_QualityHolds_OrganizationId" ON "QualityHolds" ("OrganizationId");

CREATE UNIQUE INDEX "IX_QualityHolds_OrganizationId_HoldNumber" ON "QualityHolds" ("OrganizationId", "HoldNumber");

CREATE INDEX "IX_QualityHolds_OrganizationId_PriorityRank_HeldAt" ON "QualityHolds" ("OrganizationId", "PriorityRank", "HeldAt");

CREATE INDEX "IX_QualityHolds_OrganizationId_Status_HeldAt" ON "QualityHolds" ("OrganizationId", "Status", "HeldAt" DESC);

CREATE INDEX "IX_QualityHolds_ReleasedById" ON "QualityHolds" ("ReleasedById");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261122031413_Holds', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "Parts" ADD "ProductionType" TEXT NULL;

ALTER TABLE "Parts" ADD "PubliclyVerifiable" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "Organizations" ADD "VerificationPrivacy" TEXT NOT NULL DEFAULT '';

CREATE TABLE "Certificates" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Certificates" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "Number" TEXT NOT NULL,
    "Type" TEXT NOT NULL,
    "Issuer" TEXT NOT NULL,
    "IssuedAt" TEXT NOT NULL,
    "ExpiresAt" TEXT NULL,
    "Description" TEXT NULL,
    "DocumentName" TEXT NULL,
    "DocumentContentType" TEXT NULL,
    "DocumentSize" INTEGER NULL,
    "DocumentSha256" TEXT NULL,
    "CreatedAt" TEXT NOT NULL
);

CREATE TABLE "Placeholders" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Placeholders" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "PartId" TEXT NOT NULL,
    "WorkOrderId" TEXT NULL,
    "OperationCode" TEXT NULL,
    "Quantity" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "SerialNumber" TEXT NULL,
    "SerialId" TEXT NULL,
    "FailureReason" TEXT NULL,
    "CreatedBy" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "AssignedBy" TEXT NULL,
    "AssignedAt" TEXT NULL,
    "FailedBy" TEXT NULL,
    "FailedAt" TEXT NULL,
    CONSTRAINT "FK_Placeholders_Parts_PartId" FOREIGN KEY ("PartId") REFERENCES "Parts" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Placeholders_WorkOrders_WorkOrderId" FOREIGN KEY ("WorkOrderId") REFERENCES "WorkOrders" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "SerialFormats" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SerialFormats" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Pattern" TEXT NOT NULL,
    "ResetPolicy" TEXT NOT NULL,
    "ProductionType" TEXT NULL,
    "IsActive" INTEGER NOT NULL,
    "CreatedBy" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL
);

CREATE TABLE "Serials" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Serials" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "SerialNumber" TEXT NOT NULL,
    "PartId" TEXT NOT NULL,
    "WorkOrderId" TEXT NULL,
    "BatchId" TEXT NULL,
    "PathId" TEXT NULL,
    "CurrentStepIndex" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "Consumed" INTEGER NOT NULL,
    "Origin" TEXT NOT NULL,
    "Scope" TEXT NOT NULL,
    "Visibility" TEXT NOT NULL,
    "SiteId" TEXT NULL,
    "FormatId" TEXT NULL,
    "TriggerId" TEXT NULL,
    "ScrapReason" TEXT NULL,
    "CancelReason" TEXT NULL,
    "CreatedBy" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "CompletedAt" TEXT NULL,
    "ScrappedAt" TEXT NULL,
    "UpdatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_Serials_Batches_BatchId" FOREIGN KEY ("BatchId") REFERENCES "Batches" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Serials_Parts_PartId" FOREIGN KEY ("PartId") REFERENCES "Parts" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Serials_ProcessPaths_PathId" FOREIGN KEY ("PathId") REFERENCES "ProcessPaths" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Serials_WorkOrders_WorkOrderId" FOREIGN KEY ("WorkOrderId") REFERENCES "WorkOrders" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "UniquenessConflicts" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_UniquenessConflicts" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "SerialNumber" TEXT NOT NULL,
    "PartId" TEXT NOT NULL,
    "Scopes" TEXT NOT NULL,
    "ConflictingSerialIds" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Resolution" TEXT NULL,
    "RetiredSerialId" TEXT NULL,
    "ResolutionReason" TEXT NULL,
    "ResolvedBy" TEXT NULL,
    "ResolvedAt" TEXT NULL,
    "CreatedAt" TEXT NOT NULL
);

CREATE TABLE "UniquenessRegistrations" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_UniquenessRegistrations" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "SerialNumber" TEXT NOT NULL,
    "PartId" TEXT NOT NULL,
    "SerialId" TEXT NULL,
    "SiteId" TEXT NULL,
    "SiteLevel" INTEGER NOT NULL,
    "EnterpriseLevel" INTEGER NOT NULL,
    "PartTypeLevel" INTEGER NOT NULL,
    "HasConflict" INTEGER NOT NULL,
    "RegisteredAt" TEXT NOT NULL
);

CREATE TABLE "VendorSerials" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_VendorSerials" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "VendorSerialNumber" TEXT NOT NULL,
    "VendorName" TEXT NOT NULL,
    "PartId" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "ReceivedAt" TEXT NOT NULL,
    "InternalSerialId" TEXT NULL,
    "AcceptedBy" TEXT NULL,
    "AcceptedAt" TEXT NULL,
    "RejectionReason" TEXT NULL,
    "RejectedBy" TEXT NULL,
    "RejectedAt" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_VendorSerials_Parts_PartId" FOREIGN KEY ("PartId") REFERENCES "Parts" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CertificateDocuments" (
    "CertificateId" TEXT NOT NULL CONSTRAINT "PK_CertificateDocuments" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "Content" BLOB NOT NULL,
    CONSTRAINT "FK_CertificateDocuments_Certificates_CertificateId" FOREIGN KEY ("CertificateId") REFERENCES "Certificates" ("Id") ON DELETE CASCADE
);

CREATE TABLE "SerialTriggers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SerialTriggers" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "PartId" TEXT NOT NULL,
    "TriggerType" TEXT NOT NULL,
    "AssignmentType" TEXT NOT NULL,
    "FormatId" TEXT NULL,
    "OperationCode" TEXT NULL,
    "IsConditional" INTEGER NOT NULL,
    "Conditions" TEXT NULL,
    "BatchMode" INTEGER NOT NULL,
    "BatchSize" INTEGER NULL,
    "IsActive" INTEGER NOT NULL,
    "FiredCount" INTEGER NOT NULL,
    "LastFiredAt" TEXT NULL,
    "CreatedBy" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedBy" TEXT NULL,
    "UpdatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_SerialTriggers_Parts_PartId" FOREIGN KEY ("PartId") REFERENCES "Parts" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_SerialTriggers_SerialFormats_FormatId" FOREIGN KEY ("FormatId") REFERENCES "SerialFormats" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CertAttachments" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_CertAttachments" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "SerialId" TEXT NOT NULL,
    "CertificateId" TEXT NOT NULL,
    "StepId" TEXT NOT NULL,
    "AttachedBy" TEXT NOT NULL,
    "AttachedAt" TEXT NOT NULL,
    CONSTRAINT "FK_CertAttachments_Certificates_CertificateId" FOREIGN KEY ("CertificateId") REFERENCES "Certificates" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_CertAttachments_ProcessSteps_StepId" FOREIGN KEY ("StepId") REFERENCES "ProcessSteps" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_CertAttachments_Serials_SerialId" FOREIGN KEY ("SerialId") REFERENCES "Serials" ("Id") ON DELETE CASCADE
);

CREATE TABLE "SerialLinks" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SerialLinks" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "GroupId" TEXT NOT NULL,
    "SourceSerialId" TEXT NOT NULL,
    "TargetSerialId" TEXT NULL,
    "Type" TEXT NOT NULL,
    "OperationCode" TEXT NOT NULL,
    "RoutingSequence" INTEGER NOT NULL,
    "WorkCenterId" TEXT NULL,
    "Quantity" REAL NOT NULL,
    "PartId" TEXT NOT NULL,
    "CreatedBy" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_SerialLinks_Serials_SourceSerialId" FOREIGN KEY ("SourceSerialId") REFERENCES "Serials" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_SerialLinks_Serials_TargetSerialId" FOREIGN KEY ("TargetSerialId") REFERENCES "Serials" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "SerialStepEvents" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SerialStepEvents" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "SerialId" TEXT NOT NULL,
    "StepId" TEXT NULL,
    "StepIndex" INTEGER NOT NULL,
    "StepName" TEXT NOT NULL,
    "Event" TEXT NOT NULL,
    "UserId" TEXT NULL,
    "At" TEXT NOT NULL,
    "Note" TEXT NULL,
    CONSTRAINT "FK_SerialStepEvents_Serials_SerialId" FOREIGN KEY ("SerialId") REFERENCES "Serials" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_CertAttachments_CertificateId" ON "CertAttachments" ("CertificateId");

CREATE INDEX "IX_CertAttachments_OrganizationId" ON "CertAttachments" ("OrganizationId");

CREATE UNIQUE INDEX "IX_CertAttachments_SerialId_CertificateId_StepId" ON "CertAttachments" ("SerialId", "CertificateId", "StepId");

CREATE INDEX "IX_CertAttachments_StepId" ON "CertAttachments" ("StepId");

CREATE INDEX "IX_CertificateDocuments_OrganizationId" ON "CertificateDocuments" ("OrganizationId");

CREATE INDEX "IX_Certificates_OrganizationId" ON "Certificates" ("OrganizationId");

CREATE UNIQUE INDEX "IX_Certificates_OrganizationId_Number" ON "Certificates" ("OrganizationId", "Number");

CREATE INDEX "IX_Placeholders_OrganizationId" ON "Placeholders" ("OrganizationId");

CREATE INDEX "IX_Placeholders_OrganizationId_PartId_Status" ON "Placeholders" ("OrganizationId", "PartId", "Status");

CREATE INDEX "IX_Placeholders_OrganizationId_Status_WorkOrderId" ON "Placeholders" ("OrganizationId", "Status", "WorkOrderId");

CREATE INDEX "IX_Placeholders_PartId" ON "Placeholders" ("PartId");

CREATE INDEX "IX_Placeholders_WorkOrderId" ON "Placeholders" ("WorkOrderId");

CREATE INDEX "IX_SerialFormats_OrganizationId" ON "SerialFormats" ("OrganizationId");

CREATE UNIQUE INDEX "IX_SerialFormats_OrganizationId_Name" ON "SerialFormats" ("OrganizationId", "Name");

CREATE INDEX "IX_SerialLinks_GroupId" ON "SerialLinks" ("GroupId");

CREATE INDEX "IX_SerialLinks_OrganizationId" ON "SerialLinks" ("OrganizationId");

CREATE INDEX "IX_SerialLinks_OrganizationId_PartId_Type" ON "SerialLinks" ("OrganizationId", "PartId", "Type");

CREATE INDEX "IX_SerialLinks_SourceSerialId_TargetSerialId" ON "SerialLinks" ("SourceSerialId", "TargetSerialId");

CREATE INDEX "IX_SerialLinks_TargetSerialId_SourceSerialId" ON "SerialLinks" ("TargetSerialId", "SourceSerialId");

CREATE INDEX "IX_SerialStepEvents_OrganizationId" ON "SerialStepEvents" ("OrganizationId");

CREATE INDEX "IX_SerialStepEvents_SerialId_At" ON "SerialStepEvents" ("SerialId", "At");

CREATE INDEX "IX_SerialTriggers_FormatId" ON "SerialTriggers" ("FormatId");

CREATE INDEX "IX_SerialTriggers_OrganizationId" ON "SerialTriggers" ("OrganizationId");

CREATE INDEX "IX_SerialTriggers_OrganizationId_PartId_TriggerType_IsActive" ON "SerialTriggers" ("OrganizationId", "PartId", "TriggerType", "IsActive");

CREATE INDEX "IX_SerialTriggers_PartId" ON "SerialTriggers" ("PartId");

CREATE INDEX "IX_Serials_BatchId" ON "Serials" ("BatchId");

CREATE INDEX "IX_Serials_OrganizationId" ON "Serials" ("OrganizationId");

CREATE INDEX "IX_Serials_OrganizationId_PartId_Status" ON "Serials" ("OrganizationId", "PartId", "Status");

CREATE INDEX "IX_Serials_OrganizationId_SerialNumber" ON "Serials" ("OrganizationId", "SerialNumber");

CREATE INDEX "IX_Serials_PartId" ON "Serials" ("PartId");

CREATE INDEX "IX_Serials_PathId" ON "Serials" ("PathId");

CREATE INDEX "IX_Serials_SerialNumber" ON "Serials" ("SerialNumber");

CREATE INDEX "IX_Serials_WorkOrderId" ON "Serials" ("WorkOrderId");

CREATE INDEX "IX_UniquenessConflicts_OrganizationId" ON "UniquenessConflicts" ("OrganizationId");

CREATE INDEX "IX_UniquenessConflicts_OrganizationId_SerialNumber_PartId" ON "UniquenessConflicts" ("OrganizationId", "SerialNumber", "PartId");

CREATE INDEX "IX_UniquenessConflicts_OrganizationId_Status_PartId" ON "UniquenessConflicts" ("OrganizationId", "Status", "PartId");

CREATE INDEX "IX_UniquenessRegistrations_OrganizationId" ON "UniquenessRegistrations" ("OrganizationId");

CREATE INDEX "IX_UniquenessRegistrations_OrganizationId_SerialNumber_PartId" ON "UniquenessRegistrations" ("OrganizationId", "SerialNumber", "PartId");

CREATE INDEX "IX_UniquenessRegistrations_SerialNumber" ON "UniquenessRegistrations" ("SerialNumber");

CREATE INDEX "IX_VendorSerials_OrganizationId" ON "VendorSerials" ("OrganizationId");

CREATE INDEX "IX_VendorSerials_OrganizationId_PartId_Status" ON "VendorSerials" ("OrganizationId", "PartId", "Status");

CREATE UNIQUE INDEX "IX_VendorSerials_OrganizationId_PartId_VendorSerialNumber" ON "VendorSerials" ("OrganizationId", "PartId", "VendorSerialNumber");

CREATE INDEX "IX_VendorSerials_PartId" ON "VendorSerials" ("PartId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261122034748_Serials', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE INDEX "IX_QualityHolds_OrganizationId_HeldAt_Status_PriorityRank_HoldType" ON "QualityHolds" ("OrganizationId", "HeldAt", "Status", "PriorityRank", "HoldType");

CREATE INDEX "IX_QualityHolds_OrganizationId_Status_PriorityRank_HeldAt" ON "QualityHolds" ("OrganizationId", "Status", "PriorityRank", "HeldAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261122055444_HoldSearch', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "HoldTallies" (
    "OrganizationId" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "PriorityRank" INTEGER NOT NULL,
    "HoldType" TEXT NOT NULL,
    "Count" INTEGER NOT NULL,
    CONSTRAINT "PK_HoldTallies" PRIMARY KEY ("OrganizationId", "Status", "PriorityRank", "HoldType")
);

CREATE INDEX "IX_HoldTallies_OrganizationId" ON "HoldTallies" ("OrganizationId");

INSERT INTO "HoldTallies" ("OrganizationId", "Status", "PriorityRank", "HoldType", "Count")
SELECT "OrganizationId", "Status", "PriorityRank", "HoldType", COUNT(*) FROM "QualityHolds"
GROUP BY "OrganizationId", "Status", "PriorityRank", "HoldType";

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261122062412_HoldTallies', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE INDEX "IX_QualityHolds_OrganizationId_UpdatedAt" ON "QualityHolds" ("OrganizationId", "UpdatedAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261122114314_HoldSearchInMemory', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "OutboxMessages" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_OutboxMessages" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "Topic" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Subject" TEXT NOT NULL,
    "Payload" TEXT NOT NULL,
    "ActorId" TEXT NULL,
    "ActorEmail" TEXT NULL,
    "Status" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "NextAttemptAt" TEXT NOT NULL,
    "LockedUntil" TEXT NULL,
    "LockedBy" TEXT NULL,
    "LastError" TEXT NULL,
    "CompletedAt" TEXT NULL,
    "Outcome" TEXT NULL
);

CREATE TABLE "TriggerEventFirings" (
    "EventId" TEXT NOT NULL CONSTRAINT "PK_TriggerEventFirings" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "FiredAt" TEXT NOT NULL,
    "SerialsGenerated" INTEGER NOT NULL,
    "PlaceholdersCreated" INTEGER NOT NULL
);

CREATE INDEX "IX_OutboxMessages_OrganizationId" ON "OutboxMessages" ("OrganizationId");

CREATE INDEX "IX_OutboxMessages_OrganizationId_Status_CreatedAt" ON "OutboxMessages" ("OrganizationId", "Status", "CreatedAt");

CREATE INDEX "IX_OutboxMessages_Status_NextAttemptAt" ON "OutboxMessages" ("Status", "NextAttemptAt");

CREATE INDEX "IX_TriggerEventFirings_OrganizationId" ON "TriggerEventFirings" ("OrganizationId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207102226_Outbox', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "DataProtectionKeys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_DataProtectionKeys" PRIMARY KEY AUTOINCREMENT,
    "FriendlyName" TEXT NULL,
    "Xml" TEXT NOT NULL
);

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207111711_DataProtectionKeys', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "RateLimitCounters" (
    "Key" TEXT NOT NULL CONSTRAINT "PK_RateLimitCounters" PRIMARY KEY,
    "ResetAt" INTEGER NOT NULL,
    "Count" INTEGER NOT NULL
);

CREATE INDEX "IX_RateLimitCounters_ResetAt" ON "RateLimitCounters" ("ResetAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207111756_RateLimitCounters', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "IdempotencyRecords" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_IdempotencyRecords" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "Key" TEXT NOT NULL,
    "RequestHash" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "StatusCode" INTEGER NULL,
    "ContentType" TEXT NULL,
    "ResponseBody" BLOB NULL
);

CREATE INDEX "IX_IdempotencyRecords_CreatedAt" ON "IdempotencyRecords" ("CreatedAt");

CREATE UNIQUE INDEX "IX_IdempotencyRecords_UserId_Key" ON "IdempotencyRecords" ("UserId", "Key");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207112528_Idempotency', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
DROP INDEX "IX_VendorSerials_OrganizationId_PartId_VendorSerialNumber";

ALTER TABLE "ProcessSteps" ADD "IsQualityCheckpoint" INTEGER NOT NULL DEFAULT 0;

CREATE UNIQUE INDEX "IX_VendorSerials_OrganizationId_PartId_VendorName_VendorSerialNumber" ON "VendorSerials" ("OrganizationId", "PartId", "VendorName", "VendorSerialNumber");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207114944_VendorPerVendorAndQualityCheckpoint', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "Serials" ADD "ScrapReasonCode" TEXT NULL;

CREATE TABLE "ScrapReasonCodes" (
    "OrganizationId" TEXT NOT NULL,
    "Code" TEXT NOT NULL,
    "Label" TEXT NOT NULL,
    "Active" INTEGER NOT NULL,
    "RequiresText" INTEGER NOT NULL,
    "Position" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    CONSTRAINT "PK_ScrapReasonCodes" PRIMARY KEY ("OrganizationId", "Code")
);

CREATE INDEX "IX_ScrapReasonCodes_OrganizationId" ON "ScrapReasonCodes" ("OrganizationId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207131610_ScrapReasonCodes', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "QualityHoldItems" ADD "Disposition" TEXT NULL;

ALTER TABLE "Organizations" ADD "SignaturesRequired" INTEGER NOT NULL DEFAULT 1;

CREATE TABLE "ElectronicSignatures" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ElectronicSignatures" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "RecordType" TEXT NOT NULL,
    "RecordId" TEXT NOT NULL,
    "Action" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    "PrintedName" TEXT NOT NULL,
    "UserEmail" TEXT NOT NULL,
    "SignedAt" TEXT NOT NULL,
    "Meaning" TEXT NOT NULL,
    "Comment" TEXT NULL,
    "Hash" TEXT NOT NULL
);

CREATE INDEX "IX_ElectronicSignatures_OrganizationId" ON "ElectronicSignatures" ("OrganizationId");

CREATE INDEX "IX_ElectronicSignatures_OrganizationId_RecordType_RecordId" ON "ElectronicSignatures" ("OrganizationId", "RecordType", "RecordId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207141737_HoldItemDispositionsAndSignatures', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE INDEX "IX_VendorSerials_OrganizationId_VendorSerialNumber" ON "VendorSerials" ("OrganizationId", "VendorSerialNumber");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207144541_FindVendorSerialNumber', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "StationProfiles" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_StationProfiles" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "PathId" TEXT NULL,
    "StepCodes" TEXT NOT NULL,
    "Actions" INTEGER NOT NULL,
    "Active" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_StationProfiles_ProcessPaths_PathId" FOREIGN KEY ("PathId") REFERENCES "ProcessPaths" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_Serials_StationQueue" ON "Serials" ("OrganizationId", "PathId", "CurrentStepIndex", "Status", "UpdatedAt");

CREATE INDEX "IX_SerialStepEvents_StationDone" ON "SerialStepEvents" ("OrganizationId", "StepId", "Event", "At");

CREATE INDEX "IX_StationProfiles_OrganizationId" ON "StationProfiles" ("OrganizationId");

CREATE UNIQUE INDEX "IX_StationProfiles_OrganizationId_Name" ON "StationProfiles" ("OrganizationId", "Name");

CREATE INDEX "IX_StationProfiles_PathId" ON "StationProfiles" ("PathId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207165317_StationProfiles', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "SerialLinks" ADD "StationName" TEXT NULL;

CREATE TABLE "VerificationScanDays" (
    "OrganizationId" TEXT NOT NULL,
    "Day" TEXT NOT NULL,
    "Genuine" INTEGER NOT NULL,
    "NotGenuine" INTEGER NOT NULL,
    CONSTRAINT "PK_VerificationScanDays" PRIMARY KEY ("OrganizationId", "Day")
);

CREATE INDEX "IX_Serials_Dashboard_Created" ON "Serials" ("OrganizationId", "CreatedAt", "Origin");

CREATE INDEX "IX_Serials_Dashboard_Wip" ON "Serials" ("OrganizationId", "Status", "PathId", "CurrentStepIndex");

CREATE INDEX "IX_SerialStepEvents_Dashboard_User" ON "SerialStepEvents" ("OrganizationId", "UserId", "At");

CREATE INDEX "IX_QualityHolds_Dashboard_Released" ON "QualityHolds" ("OrganizationId", "ReleasedAt");

CREATE INDEX "IX_VerificationScanDays_OrganizationId" ON "VerificationScanDays" ("OrganizationId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207173026_SerialLinkStationAndDashboards', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "SerialDayTallies" (
    "OrganizationId" TEXT NOT NULL,
    "Day" TEXT NOT NULL,
    "Origin" TEXT NOT NULL,
    "Count" INTEGER NOT NULL,
    CONSTRAINT "PK_SerialDayTallies" PRIMARY KEY ("OrganizationId", "Day", "Origin")
);

CREATE INDEX "IX_SerialDayTallies_OrganizationId" ON "SerialDayTallies" ("OrganizationId");

INSERT INTO "SerialDayTallies" ("OrganizationId", "Day", "Origin", "Count")
SELECT "OrganizationId", date("CreatedAt"), "Origin", COUNT(*) FROM "Serials"
GROUP BY "OrganizationId", date("CreatedAt"), "Origin";

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207174118_SerialDayTallies', '10.0.15');

COMMIT;

