-- CreateTable
CREATE TABLE "InboundMail" (
    "id" UUID NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fromAddress" TEXT,
    "subject" TEXT,
    "kind" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "projectId" UUID,
    "messageId" UUID,
    "personId" UUID,
    "responseId" UUID,
    "fromOtherAddress" BOOLEAN NOT NULL DEFAULT false,
    "option" TEXT,
    "comment" TEXT,
    "raw" BYTEA NOT NULL,
    "size" INTEGER NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InboundMail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "InboundMail_dedupeKey_key" ON "InboundMail"("dedupeKey");

-- CreateIndex
CREATE INDEX "InboundMail_projectId_receivedAt_idx" ON "InboundMail"("projectId", "receivedAt");

-- CreateIndex
CREATE INDEX "InboundMail_outcome_receivedAt_idx" ON "InboundMail"("outcome", "receivedAt");
