using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Operator.Infrastructure.Data.Migrations.Postgres
{
    /// <summary>
    /// Announces on the channel operator_registry every committed change to what public verification reads, so each
    /// app instance's verification cache (Features/Verification/Cache) drops what changed: "s:number" for a serial whose
    /// verified fields or number changed or that was deleted, "id:serial id" for a unit's completed step (its
    /// traceability), "*" for parts, organizations and process steps. New serials are not announced: only found codes
    /// are cached, and a later serial with the same number does not replace the first registered.
    /// </summary>
    public partial class RegistryChangeNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
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
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER operator_registry_serials_truncated ON "Serials";
                DROP TRIGGER operator_registry_process_steps ON "ProcessSteps";
                DROP TRIGGER operator_registry_organizations ON "Organizations";
                DROP TRIGGER operator_registry_parts ON "Parts";
                DROP TRIGGER operator_registry_step_changed ON "SerialStepEvents";
                DROP TRIGGER operator_registry_step_completed ON "SerialStepEvents";
                DROP TRIGGER operator_registry_serial_deleted ON "Serials";
                DROP TRIGGER operator_registry_serial_updated ON "Serials";
                DROP FUNCTION operator_registry_changed();
                """);
        }
    }
}
