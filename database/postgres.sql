CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" character varying(150) NOT NULL,
    "ProductVersion" character varying(32) NOT NULL,
    CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY ("MigrationId")
);

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE TABLE "AuditEntries" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "Sequence" bigint NOT NULL,
        "At" timestamp with time zone NOT NULL,
        "UserId" uuid,
        "UserEmail" character varying(256),
        "Action" character varying(64) NOT NULL,
        "EntityType" character varying(64) NOT NULL,
        "EntityId" character varying(200) NOT NULL,
        "Before" text,
        "After" text,
        "PreviousHash" character varying(64) NOT NULL,
        "Hash" character varying(64) NOT NULL,
        CONSTRAINT "PK_AuditEntries" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE TABLE "Counters" (
        "OrganizationId" uuid NOT NULL,
        "Name" character varying(100) NOT NULL,
        "Value" bigint NOT NULL,
        CONSTRAINT "PK_Counters" PRIMARY KEY ("OrganizationId", "Name")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE TABLE "Locations" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "Code" character varying(40) NOT NULL,
        "Name" character varying(200) NOT NULL,
        CONSTRAINT "PK_Locations" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE TABLE "Organizations" (
        "Id" uuid NOT NULL,
        "Code" character varying(4) NOT NULL,
        "Name" character varying(200) NOT NULL,
        "CreatedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_Organizations" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE TABLE "Parts" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "Number" character varying(40) NOT NULL,
        "Sku" character varying(12) NOT NULL,
        "Name" character varying(200) NOT NULL,
        "Description" character varying(1000),
        "Uom" character varying(20) NOT NULL,
        "CreatedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_Parts" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE TABLE "AspNetUsers" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "DisplayName" character varying(200) NOT NULL,
        "Role" character varying(20) NOT NULL,
        "IsActive" boolean NOT NULL,
        "CreatedAt" timestamp with time zone NOT NULL,
        "UserName" character varying(256),
        "NormalizedUserName" character varying(256),
        "Email" character varying(256),
        "NormalizedEmail" character varying(256),
        "EmailConfirmed" boolean NOT NULL,
        "PasswordHash" text,
        "SecurityStamp" text,
        "ConcurrencyStamp" text,
        "PhoneNumber" text,
        "PhoneNumberConfirmed" boolean NOT NULL,
        "TwoFactorEnabled" boolean NOT NULL,
        "LockoutEnd" timestamp with time zone,
        "LockoutEnabled" boolean NOT NULL,
        "AccessFailedCount" integer NOT NULL,
        CONSTRAINT "PK_AspNetUsers" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_AspNetUsers_Organizations_OrganizationId" FOREIGN KEY ("OrganizationId") REFERENCES "Organizations" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE TABLE "Batches" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "Number" character varying(40) NOT NULL,
        "PartId" uuid NOT NULL,
        "Quantity" double precision NOT NULL,
        "Uom" character varying(20) NOT NULL,
        "ProducedAt" timestamp with time zone,
        "CreatedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_Batches" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_Batches_Parts_PartId" FOREIGN KEY ("PartId") REFERENCES "Parts" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE TABLE "LicensePlates" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "Number" character varying(40) NOT NULL,
        "PartId" uuid NOT NULL,
        "Quantity" double precision NOT NULL,
        "Uom" character varying(20) NOT NULL,
        "LocationId" uuid,
        "QaStatus" character varying(20) NOT NULL,
        "CreatedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_LicensePlates" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_LicensePlates_Locations_LocationId" FOREIGN KEY ("LocationId") REFERENCES "Locations" ("Id") ON DELETE RESTRICT,
        CONSTRAINT "FK_LicensePlates_Parts_PartId" FOREIGN KEY ("PartId") REFERENCES "Parts" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE TABLE "ProcessPaths" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "Code" character varying(40) NOT NULL,
        "Name" character varying(200) NOT NULL,
        "PartId" uuid,
        "CreatedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_ProcessPaths" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_ProcessPaths_Parts_PartId" FOREIGN KEY ("PartId") REFERENCES "Parts" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE TABLE "AspNetUserClaims" (
        "Id" integer GENERATED BY DEFAULT AS IDENTITY,
        "UserId" uuid NOT NULL,
        "ClaimType" text,
        "ClaimValue" text,
        CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE TABLE "AspNetUserLogins" (
        "LoginProvider" text NOT NULL,
        "ProviderKey" text NOT NULL,
        "ProviderDisplayName" text,
        "UserId" uuid NOT NULL,
        CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
        CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE TABLE "AspNetUserTokens" (
        "UserId" uuid NOT NULL,
        "LoginProvider" text NOT NULL,
        "Name" text NOT NULL,
        "Value" text,
        CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
        CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE TABLE "ProcessSteps" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "PathId" uuid NOT NULL,
        "Sequence" integer NOT NULL,
        "Code" character varying(40) NOT NULL,
        "Name" character varying(200) NOT NULL,
        CONSTRAINT "PK_ProcessSteps" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_ProcessSteps_ProcessPaths_PathId" FOREIGN KEY ("PathId") REFERENCES "ProcessPaths" ("Id") ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE TABLE "WorkOrders" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "Number" character varying(40) NOT NULL,
        "PartId" uuid NOT NULL,
        "PathId" uuid NOT NULL,
        "Quantity" integer NOT NULL,
        "Status" character varying(20) NOT NULL,
        "DueAt" timestamp with time zone,
        "CreatedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_WorkOrders" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_WorkOrders_Parts_PartId" FOREIGN KEY ("PartId") REFERENCES "Parts" ("Id") ON DELETE RESTRICT,
        CONSTRAINT "FK_WorkOrders_ProcessPaths_PathId" FOREIGN KEY ("PathId") REFERENCES "ProcessPaths" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE INDEX "IX_AspNetUsers_OrganizationId_Email" ON "AspNetUsers" ("OrganizationId", "Email");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE INDEX "IX_AuditEntries_OrganizationId" ON "AuditEntries" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE INDEX "IX_AuditEntries_OrganizationId_EntityType_EntityId" ON "AuditEntries" ("OrganizationId", "EntityType", "EntityId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE UNIQUE INDEX "IX_AuditEntries_OrganizationId_Sequence" ON "AuditEntries" ("OrganizationId", "Sequence");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE INDEX "IX_Batches_OrganizationId" ON "Batches" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE UNIQUE INDEX "IX_Batches_OrganizationId_Number" ON "Batches" ("OrganizationId", "Number");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE INDEX "IX_Batches_PartId" ON "Batches" ("PartId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE INDEX "IX_LicensePlates_LocationId" ON "LicensePlates" ("LocationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE INDEX "IX_LicensePlates_OrganizationId" ON "LicensePlates" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE UNIQUE INDEX "IX_LicensePlates_OrganizationId_Number" ON "LicensePlates" ("OrganizationId", "Number");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE INDEX "IX_LicensePlates_OrganizationId_QaStatus" ON "LicensePlates" ("OrganizationId", "QaStatus");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE INDEX "IX_LicensePlates_PartId" ON "LicensePlates" ("PartId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE INDEX "IX_Locations_OrganizationId" ON "Locations" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE UNIQUE INDEX "IX_Locations_OrganizationId_Code" ON "Locations" ("OrganizationId", "Code");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE UNIQUE INDEX "IX_Organizations_Code" ON "Organizations" ("Code");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE INDEX "IX_Parts_OrganizationId" ON "Parts" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE UNIQUE INDEX "IX_Parts_OrganizationId_Number" ON "Parts" ("OrganizationId", "Number");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE UNIQUE INDEX "IX_Parts_OrganizationId_Sku" ON "Parts" ("OrganizationId", "Sku");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE INDEX "IX_ProcessPaths_OrganizationId" ON "ProcessPaths" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE UNIQUE INDEX "IX_ProcessPaths_OrganizationId_Code" ON "ProcessPaths" ("OrganizationId", "Code");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE INDEX "IX_ProcessPaths_PartId" ON "ProcessPaths" ("PartId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE INDEX "IX_ProcessSteps_OrganizationId" ON "ProcessSteps" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE UNIQUE INDEX "IX_ProcessSteps_PathId_Sequence" ON "ProcessSteps" ("PathId", "Sequence");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE INDEX "IX_WorkOrders_OrganizationId" ON "WorkOrders" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE UNIQUE INDEX "IX_WorkOrders_OrganizationId_Number" ON "WorkOrders" ("OrganizationId", "Number");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE INDEX "IX_WorkOrders_PartId" ON "WorkOrders" ("PartId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    CREATE INDEX "IX_WorkOrders_PathId" ON "WorkOrders" ("PathId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030243_Initial') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261122030243_Initial', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122031448_Holds') THEN
    CREATE TABLE "QualityHolds" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "HoldNumber" character varying(24) NOT NULL,
        "Status" character varying(20) NOT NULL,
        "Priority" character varying(20) NOT NULL,
        "PriorityRank" integer NOT NULL,
        "HoldType" character varying(20) NOT NULL,
        "Reason" character varying(500) NOT NULL,
        "ItemsCount" integer NOT NULL,
        "HeldById" uuid NOT NULL,
        "HeldAt" timestamp with time zone NOT NULL,
        "ReleasedById" uuid,
        "ReleasedAt" timestamp with time zone,
        "Disposition" character varying(20),
        "ReleaseNotes" character varying(1000),
        "DisposedById" uuid,
        "DisposedAt" timestamp with time zone,
        "NcrId" uuid,
        "CreatedById" uuid NOT NULL,
        "CreatedAt" timestamp with time zone NOT NULL,
        "UpdatedById" uuid NOT NULL,
        "UpdatedAt" timestamp with time zone NOT NULL,
        "Version" integer NOT NULL,
        CONSTRAINT "PK_QualityHolds" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_QualityHolds_AspNetUsers_HeldById" FOREIGN KEY ("HeldById") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
        CONSTRAINT "FK_QualityHolds_AspNetUsers_ReleasedById" FOREIGN KEY ("ReleasedById") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122031448_Holds') THEN
    CREATE TABLE "QualityHoldItems" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "HoldId" uuid NOT NULL,
        "Sequence" integer NOT NULL,
        "ReferenceType" character varying(10) NOT NULL,
        "ReferenceId" uuid NOT NULL,
        "ReferenceDisplay" character varying(100) NOT NULL,
        "QuantityHeld" double precision,
        "Uom" character varying(20),
        "LocationId" uuid,
        "LocationName" character varying(200),
        "Notes" character varying(500),
        "QaStatusBefore" character varying(20),
        "QaStatusAfter" character varying(20),
        CONSTRAINT "PK_QualityHoldItems" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_QualityHoldItems_QualityHolds_HoldId" FOREIGN KEY ("HoldId") REFERENCES "QualityHolds" ("Id") ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122031448_Holds') THEN
    CREATE UNIQUE INDEX "IX_QualityHoldItems_HoldId_ReferenceType_ReferenceId" ON "QualityHoldItems" ("HoldId", "ReferenceType", "ReferenceId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122031448_Holds') THEN
    CREATE INDEX "IX_QualityHoldItems_OrganizationId" ON "QualityHoldItems" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122031448_Holds') THEN
    CREATE INDEX "IX_QualityHoldItems_OrganizationId_ReferenceType_ReferenceId" ON "QualityHoldItems" ("OrganizationId", "ReferenceType", "ReferenceId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122031448_Holds') THEN
    CREATE INDEX "IX_QualityHolds_HeldById" ON "QualityHolds" ("HeldById");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122031448_Holds') THEN
    CREATE INDEX "IX_QualityHolds_HoldNumber" ON "QualityHolds" ("HoldNumber");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122031448_Holds') THEN
    CREATE INDEX "IX_QualityHolds_OrganizationId" ON "QualityHolds" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122031448_Holds') THEN
    CREATE UNIQUE INDEX "IX_QualityHolds_OrganizationId_HoldNumber" ON "QualityHolds" ("OrganizationId", "HoldNumber");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122031448_Holds') THEN
    CREATE INDEX "IX_QualityHolds_OrganizationId_PriorityRank_HeldAt" ON "QualityHolds" ("OrganizationId", "PriorityRank", "HeldAt");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122031448_Holds') THEN
    CREATE INDEX "IX_QualityHolds_OrganizationId_Status_HeldAt" ON "QualityHolds" ("OrganizationId", "Status", "HeldAt" DESC);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122031448_Holds') THEN
    CREATE INDEX "IX_QualityHolds_ReleasedById" ON "QualityHolds" ("ReleasedById");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122031448_Holds') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261122031448_Holds', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    ALTER TABLE "Parts" ADD "ProductionType" character varying(3);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    ALTER TABLE "Parts" ADD "PubliclyVerifiable" boolean NOT NULL DEFAULT FALSE;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    ALTER TABLE "Organizations" ADD "VerificationPrivacy" character varying(10) NOT NULL DEFAULT '';
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE TABLE "Certificates" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "Number" character varying(60) NOT NULL,
        "Type" character varying(20) NOT NULL,
        "Issuer" character varying(200) NOT NULL,
        "IssuedAt" timestamp with time zone NOT NULL,
        "ExpiresAt" timestamp with time zone,
        "Description" character varying(1000),
        "DocumentName" character varying(255),
        "DocumentContentType" character varying(100),
        "DocumentSize" bigint,
        "DocumentSha256" character varying(64),
        "CreatedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_Certificates" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE TABLE "Placeholders" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "PartId" uuid NOT NULL,
        "WorkOrderId" uuid,
        "OperationCode" character varying(40),
        "Quantity" integer NOT NULL,
        "Status" character varying(20) NOT NULL,
        "SerialNumber" character varying(100),
        "SerialId" uuid,
        "FailureReason" character varying(500),
        "CreatedBy" uuid,
        "CreatedAt" timestamp with time zone NOT NULL,
        "AssignedBy" uuid,
        "AssignedAt" timestamp with time zone,
        "FailedBy" uuid,
        "FailedAt" timestamp with time zone,
        CONSTRAINT "PK_Placeholders" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_Placeholders_Parts_PartId" FOREIGN KEY ("PartId") REFERENCES "Parts" ("Id") ON DELETE RESTRICT,
        CONSTRAINT "FK_Placeholders_WorkOrders_WorkOrderId" FOREIGN KEY ("WorkOrderId") REFERENCES "WorkOrders" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE TABLE "SerialFormats" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "Name" character varying(100) NOT NULL,
        "Kind" character varying(20) NOT NULL,
        "Pattern" character varying(200) NOT NULL,
        "ResetPolicy" character varying(10) NOT NULL,
        "ProductionType" character varying(3),
        "IsActive" boolean NOT NULL,
        "CreatedBy" uuid,
        "CreatedAt" timestamp with time zone NOT NULL,
        "UpdatedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_SerialFormats" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE TABLE "Serials" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "SerialNumber" character varying(100) NOT NULL,
        "PartId" uuid NOT NULL,
        "WorkOrderId" uuid,
        "BatchId" uuid,
        "PathId" uuid,
        "CurrentStepIndex" integer NOT NULL,
        "Status" character varying(20) NOT NULL,
        "Consumed" boolean NOT NULL,
        "Origin" character varying(20) NOT NULL,
        "Scope" character varying(10) NOT NULL,
        "Visibility" character varying(10) NOT NULL,
        "SiteId" character varying(50),
        "FormatId" uuid,
        "TriggerId" uuid,
        "ScrapReason" character varying(500),
        "CancelReason" character varying(500),
        "CreatedBy" uuid,
        "CreatedAt" timestamp with time zone NOT NULL,
        "CompletedAt" timestamp with time zone,
        "ScrappedAt" timestamp with time zone,
        "UpdatedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_Serials" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_Serials_Batches_BatchId" FOREIGN KEY ("BatchId") REFERENCES "Batches" ("Id") ON DELETE RESTRICT,
        CONSTRAINT "FK_Serials_Parts_PartId" FOREIGN KEY ("PartId") REFERENCES "Parts" ("Id") ON DELETE RESTRICT,
        CONSTRAINT "FK_Serials_ProcessPaths_PathId" FOREIGN KEY ("PathId") REFERENCES "ProcessPaths" ("Id") ON DELETE RESTRICT,
        CONSTRAINT "FK_Serials_WorkOrders_WorkOrderId" FOREIGN KEY ("WorkOrderId") REFERENCES "WorkOrders" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE TABLE "UniquenessConflicts" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "SerialNumber" character varying(100) NOT NULL,
        "PartId" uuid NOT NULL,
        "Scopes" character varying(100) NOT NULL,
        "ConflictingSerialIds" character varying(4000) NOT NULL,
        "Status" character varying(20) NOT NULL,
        "Resolution" character varying(20),
        "RetiredSerialId" uuid,
        "ResolutionReason" character varying(500),
        "ResolvedBy" uuid,
        "ResolvedAt" timestamp with time zone,
        "CreatedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_UniquenessConflicts" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE TABLE "UniquenessRegistrations" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "SerialNumber" character varying(100) NOT NULL,
        "PartId" uuid NOT NULL,
        "SerialId" uuid,
        "SiteId" character varying(50),
        "SiteLevel" boolean NOT NULL,
        "EnterpriseLevel" boolean NOT NULL,
        "PartTypeLevel" boolean NOT NULL,
        "HasConflict" boolean NOT NULL,
        "RegisteredAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_UniquenessRegistrations" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE TABLE "VendorSerials" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "VendorSerialNumber" character varying(100) NOT NULL,
        "VendorName" character varying(200) NOT NULL,
        "PartId" uuid NOT NULL,
        "Status" character varying(20) NOT NULL,
        "ReceivedAt" timestamp with time zone NOT NULL,
        "InternalSerialId" uuid,
        "AcceptedBy" uuid,
        "AcceptedAt" timestamp with time zone,
        "RejectionReason" character varying(500),
        "RejectedBy" uuid,
        "RejectedAt" timestamp with time zone,
        "CreatedAt" timestamp with time zone NOT NULL,
        "UpdatedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_VendorSerials" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_VendorSerials_Parts_PartId" FOREIGN KEY ("PartId") REFERENCES "Parts" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE TABLE "CertificateDocuments" (
        "CertificateId" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "Content" bytea NOT NULL,
        CONSTRAINT "PK_CertificateDocuments" PRIMARY KEY ("CertificateId"),
        CONSTRAINT "FK_CertificateDocuments_Certificates_CertificateId" FOREIGN KEY ("CertificateId") REFERENCES "Certificates" ("Id") ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE TABLE "SerialTriggers" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "PartId" uuid NOT NULL,
        "TriggerType" character varying(30) NOT NULL,
        "AssignmentType" character varying(30) NOT NULL,
        "FormatId" uuid,
        "OperationCode" character varying(40),
        "IsConditional" boolean NOT NULL,
        "Conditions" character varying(4000),
        "BatchMode" boolean NOT NULL,
        "BatchSize" integer,
        "IsActive" boolean NOT NULL,
        "FiredCount" bigint NOT NULL,
        "LastFiredAt" timestamp with time zone,
        "CreatedBy" uuid,
        "CreatedAt" timestamp with time zone NOT NULL,
        "UpdatedBy" uuid,
        "UpdatedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_SerialTriggers" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_SerialTriggers_Parts_PartId" FOREIGN KEY ("PartId") REFERENCES "Parts" ("Id") ON DELETE RESTRICT,
        CONSTRAINT "FK_SerialTriggers_SerialFormats_FormatId" FOREIGN KEY ("FormatId") REFERENCES "SerialFormats" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE TABLE "CertAttachments" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "SerialId" uuid NOT NULL,
        "CertificateId" uuid NOT NULL,
        "StepId" uuid NOT NULL,
        "AttachedBy" uuid NOT NULL,
        "AttachedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_CertAttachments" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_CertAttachments_Certificates_CertificateId" FOREIGN KEY ("CertificateId") REFERENCES "Certificates" ("Id") ON DELETE RESTRICT,
        CONSTRAINT "FK_CertAttachments_ProcessSteps_StepId" FOREIGN KEY ("StepId") REFERENCES "ProcessSteps" ("Id") ON DELETE RESTRICT,
        CONSTRAINT "FK_CertAttachments_Serials_SerialId" FOREIGN KEY ("SerialId") REFERENCES "Serials" ("Id") ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE TABLE "SerialLinks" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "GroupId" uuid NOT NULL,
        "SourceSerialId" uuid NOT NULL,
        "TargetSerialId" uuid,
        "Type" character varying(20) NOT NULL,
        "OperationCode" character varying(40) NOT NULL,
        "RoutingSequence" integer NOT NULL,
        "WorkCenterId" character varying(50),
        "Quantity" double precision NOT NULL,
        "PartId" uuid NOT NULL,
        "CreatedBy" uuid,
        "CreatedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_SerialLinks" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_SerialLinks_Serials_SourceSerialId" FOREIGN KEY ("SourceSerialId") REFERENCES "Serials" ("Id") ON DELETE RESTRICT,
        CONSTRAINT "FK_SerialLinks_Serials_TargetSerialId" FOREIGN KEY ("TargetSerialId") REFERENCES "Serials" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE TABLE "SerialStepEvents" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "SerialId" uuid NOT NULL,
        "StepId" uuid,
        "StepIndex" integer NOT NULL,
        "StepName" character varying(200) NOT NULL,
        "Event" character varying(20) NOT NULL,
        "UserId" uuid,
        "At" timestamp with time zone NOT NULL,
        "Note" character varying(500),
        CONSTRAINT "PK_SerialStepEvents" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_SerialStepEvents_Serials_SerialId" FOREIGN KEY ("SerialId") REFERENCES "Serials" ("Id") ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_CertAttachments_CertificateId" ON "CertAttachments" ("CertificateId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_CertAttachments_OrganizationId" ON "CertAttachments" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE UNIQUE INDEX "IX_CertAttachments_SerialId_CertificateId_StepId" ON "CertAttachments" ("SerialId", "CertificateId", "StepId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_CertAttachments_StepId" ON "CertAttachments" ("StepId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_CertificateDocuments_OrganizationId" ON "CertificateDocuments" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_Certificates_OrganizationId" ON "Certificates" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE UNIQUE INDEX "IX_Certificates_OrganizationId_Number" ON "Certificates" ("OrganizationId", "Number");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_Placeholders_OrganizationId" ON "Placeholders" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_Placeholders_OrganizationId_PartId_Status" ON "Placeholders" ("OrganizationId", "PartId", "Status");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_Placeholders_OrganizationId_Status_WorkOrderId" ON "Placeholders" ("OrganizationId", "Status", "WorkOrderId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_Placeholders_PartId" ON "Placeholders" ("PartId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_Placeholders_WorkOrderId" ON "Placeholders" ("WorkOrderId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_SerialFormats_OrganizationId" ON "SerialFormats" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE UNIQUE INDEX "IX_SerialFormats_OrganizationId_Name" ON "SerialFormats" ("OrganizationId", "Name");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_SerialLinks_GroupId" ON "SerialLinks" ("GroupId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_SerialLinks_OrganizationId" ON "SerialLinks" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_SerialLinks_OrganizationId_PartId_Type" ON "SerialLinks" ("OrganizationId", "PartId", "Type");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_SerialLinks_SourceSerialId_TargetSerialId" ON "SerialLinks" ("SourceSerialId", "TargetSerialId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_SerialLinks_TargetSerialId_SourceSerialId" ON "SerialLinks" ("TargetSerialId", "SourceSerialId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_SerialStepEvents_OrganizationId" ON "SerialStepEvents" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_SerialStepEvents_SerialId_At" ON "SerialStepEvents" ("SerialId", "At");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_SerialTriggers_FormatId" ON "SerialTriggers" ("FormatId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_SerialTriggers_OrganizationId" ON "SerialTriggers" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_SerialTriggers_OrganizationId_PartId_TriggerType_IsActive" ON "SerialTriggers" ("OrganizationId", "PartId", "TriggerType", "IsActive");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_SerialTriggers_PartId" ON "SerialTriggers" ("PartId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_Serials_BatchId" ON "Serials" ("BatchId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_Serials_OrganizationId" ON "Serials" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_Serials_OrganizationId_PartId_Status" ON "Serials" ("OrganizationId", "PartId", "Status");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_Serials_OrganizationId_SerialNumber" ON "Serials" ("OrganizationId", "SerialNumber");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_Serials_PartId" ON "Serials" ("PartId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_Serials_PathId" ON "Serials" ("PathId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_Serials_SerialNumber" ON "Serials" ("SerialNumber");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_Serials_WorkOrderId" ON "Serials" ("WorkOrderId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_UniquenessConflicts_OrganizationId" ON "UniquenessConflicts" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_UniquenessConflicts_OrganizationId_SerialNumber_PartId" ON "UniquenessConflicts" ("OrganizationId", "SerialNumber", "PartId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_UniquenessConflicts_OrganizationId_Status_PartId" ON "UniquenessConflicts" ("OrganizationId", "Status", "PartId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_UniquenessRegistrations_OrganizationId" ON "UniquenessRegistrations" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_UniquenessRegistrations_OrganizationId_SerialNumber_PartId" ON "UniquenessRegistrations" ("OrganizationId", "SerialNumber", "PartId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_UniquenessRegistrations_SerialNumber" ON "UniquenessRegistrations" ("SerialNumber");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_VendorSerials_OrganizationId" ON "VendorSerials" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_VendorSerials_OrganizationId_PartId_Status" ON "VendorSerials" ("OrganizationId", "PartId", "Status");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE UNIQUE INDEX "IX_VendorSerials_OrganizationId_PartId_VendorSerialNumber" ON "VendorSerials" ("OrganizationId", "PartId", "VendorSerialNumber");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    CREATE INDEX "IX_VendorSerials_PartId" ON "VendorSerials" ("PartId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122034810_Serials') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261122034810_Serials', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122055450_HoldSearch') THEN
    CREATE EXTENSION IF NOT EXISTS btree_gin;
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122055450_HoldSearch') THEN
    ALTER TABLE "QualityHolds" ADD "SearchText" text GENERATED ALWAYS AS (lower("HoldNumber"::text || ' ' || "Reason"::text)) STORED;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122055450_HoldSearch') THEN
    CREATE INDEX "IX_QualityHolds_OrganizationId_HeldAt_Status_PriorityRank_Hold~" ON "QualityHolds" ("OrganizationId", "HeldAt", "Status", "PriorityRank", "HoldType");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122055450_HoldSearch') THEN
    CREATE INDEX "IX_QualityHolds_OrganizationId_SearchText" ON "QualityHolds" USING gin ("OrganizationId" uuid_ops, "SearchText" gin_trgm_ops);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122055450_HoldSearch') THEN
    CREATE INDEX "IX_QualityHolds_OrganizationId_Status_PriorityRank_HeldAt" ON "QualityHolds" ("OrganizationId", "Status", "PriorityRank", "HeldAt");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122055450_HoldSearch') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261122055450_HoldSearch', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122062418_HoldTallies') THEN
    CREATE TABLE "HoldTallies" (
        "OrganizationId" uuid NOT NULL,
        "Status" character varying(20) NOT NULL,
        "PriorityRank" integer NOT NULL,
        "HoldType" character varying(20) NOT NULL,
        "Count" bigint NOT NULL,
        CONSTRAINT "PK_HoldTallies" PRIMARY KEY ("OrganizationId", "Status", "PriorityRank", "HoldType")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122062418_HoldTallies') THEN
    CREATE INDEX "IX_HoldTallies_OrganizationId" ON "HoldTallies" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122062418_HoldTallies') THEN
    INSERT INTO "HoldTallies" ("OrganizationId", "Status", "PriorityRank", "HoldType", "Count")
    SELECT "OrganizationId", "Status", "PriorityRank", "HoldType", COUNT(*) FROM "QualityHolds"
    GROUP BY "OrganizationId", "Status", "PriorityRank", "HoldType";
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122062418_HoldTallies') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261122062418_HoldTallies', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122114230_HoldSearchInMemory') THEN
    DROP INDEX "IX_QualityHolds_OrganizationId_SearchText";
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122114230_HoldSearchInMemory') THEN
    ALTER TABLE "QualityHolds" DROP COLUMN "SearchText";
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122114230_HoldSearchInMemory') THEN
    CREATE INDEX "IX_QualityHolds_OrganizationId_UpdatedAt" ON "QualityHolds" ("OrganizationId", "UpdatedAt");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122114230_HoldSearchInMemory') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261122114230_HoldSearchInMemory', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207102236_Outbox') THEN
    CREATE TABLE "OutboxMessages" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "Topic" character varying(60) NOT NULL,
        "Name" character varying(60) NOT NULL,
        "Subject" character varying(300) NOT NULL,
        "Payload" text NOT NULL,
        "ActorId" uuid,
        "ActorEmail" character varying(256),
        "Status" character varying(20) NOT NULL,
        "Attempts" integer NOT NULL,
        "CreatedAt" timestamp with time zone NOT NULL,
        "NextAttemptAt" timestamp with time zone NOT NULL,
        "LockedUntil" timestamp with time zone,
        "LockedBy" character varying(100),
        "LastError" character varying(2000),
        "CompletedAt" timestamp with time zone,
        "Outcome" character varying(500),
        CONSTRAINT "PK_OutboxMessages" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207102236_Outbox') THEN
    CREATE TABLE "TriggerEventFirings" (
        "EventId" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "FiredAt" timestamp with time zone NOT NULL,
        "SerialsGenerated" integer NOT NULL,
        "PlaceholdersCreated" integer NOT NULL,
        CONSTRAINT "PK_TriggerEventFirings" PRIMARY KEY ("EventId")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207102236_Outbox') THEN
    CREATE INDEX "IX_OutboxMessages_OrganizationId" ON "OutboxMessages" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207102236_Outbox') THEN
    CREATE INDEX "IX_OutboxMessages_OrganizationId_Status_CreatedAt" ON "OutboxMessages" ("OrganizationId", "Status", "CreatedAt");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207102236_Outbox') THEN
    CREATE INDEX "IX_OutboxMessages_Status_NextAttemptAt" ON "OutboxMessages" ("Status", "NextAttemptAt");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207102236_Outbox') THEN
    CREATE INDEX "IX_TriggerEventFirings_OrganizationId" ON "TriggerEventFirings" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207102236_Outbox') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261207102236_Outbox', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207111715_DataProtectionKeys') THEN
    CREATE TABLE "DataProtectionKeys" (
        "Id" integer GENERATED BY DEFAULT AS IDENTITY,
        "FriendlyName" character varying(200),
        "Xml" text NOT NULL,
        CONSTRAINT "PK_DataProtectionKeys" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207111715_DataProtectionKeys') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261207111715_DataProtectionKeys', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207111759_RateLimitCounters') THEN
    CREATE TABLE "RateLimitCounters" (
        "Key" character varying(200) NOT NULL,
        "ResetAt" bigint NOT NULL,
        "Count" integer NOT NULL,
        CONSTRAINT "PK_RateLimitCounters" PRIMARY KEY ("Key")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207111759_RateLimitCounters') THEN
    CREATE INDEX "IX_RateLimitCounters_ResetAt" ON "RateLimitCounters" ("ResetAt");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207111759_RateLimitCounters') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261207111759_RateLimitCounters', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207112531_Idempotency') THEN
    CREATE TABLE "IdempotencyRecords" (
        "Id" uuid NOT NULL,
        "UserId" uuid NOT NULL,
        "Key" character varying(200) NOT NULL,
        "RequestHash" character varying(64) NOT NULL,
        "CreatedAt" timestamp with time zone NOT NULL,
        "StatusCode" integer,
        "ContentType" character varying(100),
        "ResponseBody" bytea,
        CONSTRAINT "PK_IdempotencyRecords" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207112531_Idempotency') THEN
    CREATE INDEX "IX_IdempotencyRecords_CreatedAt" ON "IdempotencyRecords" ("CreatedAt");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207112531_Idempotency') THEN
    CREATE UNIQUE INDEX "IX_IdempotencyRecords_UserId_Key" ON "IdempotencyRecords" ("UserId", "Key");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207112531_Idempotency') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261207112531_Idempotency', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207114955_VendorPerVendorAndQualityCheckpoint') THEN
    DROP INDEX "IX_VendorSerials_OrganizationId_PartId_VendorSerialNumber";
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207114955_VendorPerVendorAndQualityCheckpoint') THEN
    ALTER TABLE "ProcessSteps" ADD "IsQualityCheckpoint" boolean NOT NULL DEFAULT FALSE;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207114955_VendorPerVendorAndQualityCheckpoint') THEN
    CREATE UNIQUE INDEX "IX_VendorSerials_OrganizationId_PartId_VendorName_VendorSerial~" ON "VendorSerials" ("OrganizationId", "PartId", "VendorName", "VendorSerialNumber");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207114955_VendorPerVendorAndQualityCheckpoint') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261207114955_VendorPerVendorAndQualityCheckpoint', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207131620_ScrapReasonCodes') THEN
    ALTER TABLE "Serials" ADD "ScrapReasonCode" character varying(32);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207131620_ScrapReasonCodes') THEN
    CREATE TABLE "ScrapReasonCodes" (
        "OrganizationId" uuid NOT NULL,
        "Code" character varying(32) NOT NULL,
        "Label" character varying(100) NOT NULL,
        "Active" boolean NOT NULL,
        "RequiresText" boolean NOT NULL,
        "Position" integer NOT NULL,
        "CreatedAt" timestamp with time zone NOT NULL,
        "UpdatedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_ScrapReasonCodes" PRIMARY KEY ("OrganizationId", "Code")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207131620_ScrapReasonCodes') THEN
    CREATE INDEX "IX_ScrapReasonCodes_OrganizationId" ON "ScrapReasonCodes" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207131620_ScrapReasonCodes') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261207131620_ScrapReasonCodes', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207141744_HoldItemDispositionsAndSignatures') THEN
    ALTER TABLE "QualityHoldItems" ADD "Disposition" character varying(20);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207141744_HoldItemDispositionsAndSignatures') THEN
    ALTER TABLE "Organizations" ADD "SignaturesRequired" boolean NOT NULL DEFAULT TRUE;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207141744_HoldItemDispositionsAndSignatures') THEN
    CREATE TABLE "ElectronicSignatures" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "RecordType" character varying(64) NOT NULL,
        "RecordId" character varying(100) NOT NULL,
        "Action" character varying(64) NOT NULL,
        "UserId" uuid NOT NULL,
        "PrintedName" character varying(200) NOT NULL,
        "UserEmail" character varying(256) NOT NULL,
        "SignedAt" timestamp with time zone NOT NULL,
        "Meaning" character varying(20) NOT NULL,
        "Comment" character varying(500),
        "Hash" character varying(64) NOT NULL,
        CONSTRAINT "PK_ElectronicSignatures" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207141744_HoldItemDispositionsAndSignatures') THEN
    CREATE INDEX "IX_ElectronicSignatures_OrganizationId" ON "ElectronicSignatures" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207141744_HoldItemDispositionsAndSignatures') THEN
    CREATE INDEX "IX_ElectronicSignatures_OrganizationId_RecordType_RecordId" ON "ElectronicSignatures" ("OrganizationId", "RecordType", "RecordId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207141744_HoldItemDispositionsAndSignatures') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261207141744_HoldItemDispositionsAndSignatures', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207144545_FindVendorSerialNumber') THEN
    CREATE INDEX "IX_VendorSerials_OrganizationId_VendorSerialNumber" ON "VendorSerials" ("OrganizationId", "VendorSerialNumber");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207144545_FindVendorSerialNumber') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261207144545_FindVendorSerialNumber', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207165331_StationProfiles') THEN
    CREATE TABLE "StationProfiles" (
        "Id" uuid NOT NULL,
        "OrganizationId" uuid NOT NULL,
        "Name" character varying(100) NOT NULL,
        "PathId" uuid,
        "StepCodes" character varying(400) NOT NULL,
        "Actions" integer NOT NULL,
        "Active" boolean NOT NULL,
        "CreatedAt" timestamp with time zone NOT NULL,
        "UpdatedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_StationProfiles" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_StationProfiles_ProcessPaths_PathId" FOREIGN KEY ("PathId") REFERENCES "ProcessPaths" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207165331_StationProfiles') THEN
    CREATE INDEX "IX_Serials_StationQueue" ON "Serials" ("OrganizationId", "PathId", "CurrentStepIndex", "Status", "UpdatedAt");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207165331_StationProfiles') THEN
    CREATE INDEX "IX_SerialStepEvents_StationDone" ON "SerialStepEvents" ("OrganizationId", "StepId", "Event", "At");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207165331_StationProfiles') THEN
    CREATE INDEX "IX_StationProfiles_OrganizationId" ON "StationProfiles" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207165331_StationProfiles') THEN
    CREATE UNIQUE INDEX "IX_StationProfiles_OrganizationId_Name" ON "StationProfiles" ("OrganizationId", "Name");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207165331_StationProfiles') THEN
    CREATE INDEX "IX_StationProfiles_PathId" ON "StationProfiles" ("PathId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207165331_StationProfiles') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261207165331_StationProfiles', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207173029_SerialLinkStationAndDashboards') THEN
    ALTER TABLE "SerialLinks" ADD "StationName" character varying(100);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207173029_SerialLinkStationAndDashboards') THEN
    CREATE TABLE "VerificationScanDays" (
        "OrganizationId" uuid NOT NULL,
        "Day" date NOT NULL,
        "Genuine" bigint NOT NULL,
        "NotGenuine" bigint NOT NULL,
        CONSTRAINT "PK_VerificationScanDays" PRIMARY KEY ("OrganizationId", "Day")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207173029_SerialLinkStationAndDashboards') THEN
    CREATE INDEX "IX_Serials_Dashboard_Created" ON "Serials" ("OrganizationId", "CreatedAt", "Origin");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207173029_SerialLinkStationAndDashboards') THEN
    CREATE INDEX "IX_Serials_Dashboard_Wip" ON "Serials" ("OrganizationId", "Status", "PathId", "CurrentStepIndex");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207173029_SerialLinkStationAndDashboards') THEN
    CREATE INDEX "IX_SerialStepEvents_Dashboard_User" ON "SerialStepEvents" ("OrganizationId", "UserId", "At");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207173029_SerialLinkStationAndDashboards') THEN
    CREATE INDEX "IX_QualityHolds_Dashboard_Released" ON "QualityHolds" ("OrganizationId", "ReleasedAt");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207173029_SerialLinkStationAndDashboards') THEN
    CREATE INDEX "IX_VerificationScanDays_OrganizationId" ON "VerificationScanDays" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207173029_SerialLinkStationAndDashboards') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261207173029_SerialLinkStationAndDashboards', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207174127_SerialDayTallies') THEN
    CREATE TABLE "SerialDayTallies" (
        "OrganizationId" uuid NOT NULL,
        "Day" date NOT NULL,
        "Origin" character varying(20) NOT NULL,
        "Count" bigint NOT NULL,
        CONSTRAINT "PK_SerialDayTallies" PRIMARY KEY ("OrganizationId", "Day", "Origin")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207174127_SerialDayTallies') THEN
    CREATE INDEX "IX_SerialDayTallies_OrganizationId" ON "SerialDayTallies" ("OrganizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207174127_SerialDayTallies') THEN
    INSERT INTO "SerialDayTallies" ("OrganizationId", "Day", "Origin", "Count")
    SELECT "OrganizationId", ("CreatedAt" AT TIME ZONE 'UTC')::date, "Origin", COUNT(*) FROM "Serials"
    GROUP BY "OrganizationId", ("CreatedAt" AT TIME ZONE 'UTC')::date, "Origin";
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207174127_SerialDayTallies') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261207174127_SerialDayTallies', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207190241_RegistryChangeNotifications') THEN
    CREATE FUNCTION operator_registry_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_LEVEL = 'STATEMENT' THEN
            PERFORM pg_notify('operator_registry', '*');
        ELSIF TG_TABLE_NAME = 'Serials' THEN
            PERFORM pg_notify('operator_registry', 's:' || OLD."SerialNumber");
            IF TG_OP = 'UPDATE' AND NEW."SerialNumber" IS DISTINCT FROM OLD."SerialNumber" THEN
                PERFORM pg_notify('operator_registry', 's:' || NEW."SerialNumber");
            END IF;
        ELSIF TG_TABLE_NAME = 'SerialStepEvents' THEN
            IF TG_OP = 'DELETE' THEN
                PERFORM pg_notify('operator_registry', 'id:' || OLD."SerialId"::text);
            ELSE
                PERFORM pg_notify('operator_registry', 'id:' || NEW."SerialId"::text);
            END IF;
        END IF;
        RETURN NULL;
    END
    $$;

    CREATE TRIGGER operator_registry_serial_updated AFTER UPDATE ON "Serials" FOR EACH ROW
        WHEN (OLD."SerialNumber" IS DISTINCT FROM NEW."SerialNumber" OR OLD."OrganizationId" IS DISTINCT FROM NEW."OrganizationId"
            OR OLD."PartId" IS DISTINCT FROM NEW."PartId" OR OLD."PathId" IS DISTINCT FROM NEW."PathId"
            OR OLD."Status" IS DISTINCT FROM NEW."Status" OR OLD."Consumed" IS DISTINCT FROM NEW."Consumed"
            OR OLD."Scope" IS DISTINCT FROM NEW."Scope" OR OLD."Origin" IS DISTINCT FROM NEW."Origin"
            OR OLD."Visibility" IS DISTINCT FROM NEW."Visibility" OR OLD."CreatedAt" IS DISTINCT FROM NEW."CreatedAt")
        EXECUTE FUNCTION operator_registry_changed();
    CREATE TRIGGER operator_registry_serial_deleted AFTER DELETE ON "Serials" FOR EACH ROW
        EXECUTE FUNCTION operator_registry_changed();
    CREATE TRIGGER operator_registry_step_completed AFTER INSERT ON "SerialStepEvents" FOR EACH ROW
        WHEN (NEW."Event" = 'completed') EXECUTE FUNCTION operator_registry_changed();
    CREATE TRIGGER operator_registry_step_changed AFTER UPDATE OR DELETE ON "SerialStepEvents" FOR EACH ROW
        EXECUTE FUNCTION operator_registry_changed();
    CREATE TRIGGER operator_registry_parts AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Parts" FOR EACH STATEMENT
        EXECUTE FUNCTION operator_registry_changed();
    CREATE TRIGGER operator_registry_organizations AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Organizations" FOR EACH STATEMENT
        EXECUTE FUNCTION operator_registry_changed();
    CREATE TRIGGER operator_registry_process_steps AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ProcessSteps" FOR EACH STATEMENT
        EXECUTE FUNCTION operator_registry_changed();
    CREATE TRIGGER operator_registry_serials_truncated AFTER TRUNCATE ON "Serials" FOR EACH STATEMENT
        EXECUTE FUNCTION operator_registry_changed();
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261207190241_RegistryChangeNotifications') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261207190241_RegistryChangeNotifications', '10.0.15');
    END IF;
END $EF$;
COMMIT;

