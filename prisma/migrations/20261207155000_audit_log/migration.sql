-- CreateTable
CREATE TABLE "PlanVersion" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "file" TEXT NOT NULL,
    "yaml" TEXT NOT NULL,
    "files" JSONB NOT NULL DEFAULT '[]',
    "appliedBy" TEXT NOT NULL,
    "appliedAt" TIMESTAMPTZ(3) NOT NULL,
    "summary" JSONB NOT NULL,
    "rollbackOf" INTEGER,

    CONSTRAINT "PlanVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "projectKey" TEXT,
    "ref" TEXT NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PlanVersion_projectId_number_key" ON "PlanVersion"("projectId", "number");

-- CreateIndex
CREATE INDEX "AuditEntry_projectKey_seq_idx" ON "AuditEntry"("projectKey", "seq");

-- AddForeignKey
ALTER TABLE "PlanVersion" ADD CONSTRAINT "PlanVersion_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The audit trail is append-only: the database refuses to change or remove an entry.
-- Prisma's schema engine splits a migration at every semicolon, quoted or not, so the body's one
-- semicolon is written as the escape \073 of an E'' string.
CREATE FUNCTION "AuditEntry_append_only"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN RAISE EXCEPTION ''the audit log is append-only: % on "AuditEntry" refused'', TG_OP USING ERRCODE = ''insufficient_privilege''\073 END';
CREATE TRIGGER "AuditEntry_no_update_or_delete" BEFORE UPDATE OR DELETE ON "AuditEntry" FOR EACH ROW EXECUTE FUNCTION "AuditEntry_append_only"();
CREATE TRIGGER "AuditEntry_no_truncate" BEFORE TRUNCATE ON "AuditEntry" FOR EACH STATEMENT EXECUTE FUNCTION "AuditEntry_append_only"();
