-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'comm';

-- CreateTable
CREATE TABLE "Escalation" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "commId" UUID NOT NULL,
    "occurrence" INTEGER NOT NULL,
    "personId" UUID NOT NULL,
    "responseId" UUID NOT NULL,
    "option" TEXT NOT NULL,
    "comment" TEXT,
    "urgency" TEXT NOT NULL,
    "level" INTEGER NOT NULL DEFAULT 1,
    "state" TEXT NOT NULL DEFAULT 'open',
    "ownerId" UUID NOT NULL,
    "secondId" UUID,
    "openedAt" TIMESTAMPTZ(3) NOT NULL,
    "escalateAt" TIMESTAMPTZ(3),
    "escalatedAt" TIMESTAMPTZ(3),
    "acknowledgedAt" TIMESTAMPTZ(3),
    "acknowledgedBy" UUID,
    "resolvedAt" TIMESTAMPTZ(3),
    "resolvedBy" UUID,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Escalation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EscalationNotice" (
    "escalationId" UUID NOT NULL,
    "messageId" UUID NOT NULL,
    "role" TEXT NOT NULL,

    CONSTRAINT "EscalationNotice_pkey" PRIMARY KEY ("escalationId","messageId")
);

-- CreateIndex
CREATE INDEX "Escalation_projectId_state_idx" ON "Escalation"("projectId", "state");

-- CreateIndex
CREATE INDEX "Escalation_state_escalateAt_idx" ON "Escalation"("state", "escalateAt");

-- CreateIndex
CREATE INDEX "Escalation_commId_occurrence_personId_idx" ON "Escalation"("commId", "occurrence", "personId");

-- CreateIndex
CREATE INDEX "EscalationNotice_messageId_idx" ON "EscalationNotice"("messageId");

-- AddForeignKey
ALTER TABLE "Escalation" ADD CONSTRAINT "Escalation_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Escalation" ADD CONSTRAINT "Escalation_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Escalation" ADD CONSTRAINT "Escalation_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "Response"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EscalationNotice" ADD CONSTRAINT "EscalationNotice_escalationId_fkey" FOREIGN KEY ("escalationId") REFERENCES "Escalation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EscalationNotice" ADD CONSTRAINT "EscalationNotice_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;
