-- A message whose comm occurrence awaits approval is held.
ALTER TYPE "MessageStatus" ADD VALUE 'held';

-- CreateTable
CREATE TABLE "Approval" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "commId" UUID NOT NULL,
    "occurrence" INTEGER NOT NULL,
    "round" INTEGER NOT NULL DEFAULT 1,
    "contentHash" TEXT NOT NULL,
    "preview" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "firstSendAt" TIMESTAMPTZ(3) NOT NULL,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL,
    "decidedAt" TIMESTAMPTZ(3),
    "note" TEXT,
    "heldNoticeAt" TIMESTAMPTZ(3),
    "checkedPlanAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Approval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApprovalVote" (
    "id" UUID NOT NULL,
    "approvalId" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "approver" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "note" TEXT,
    "via" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ApprovalVote_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Approval_projectId_commId_occurrence_key" ON "Approval"("projectId", "commId", "occurrence");

-- CreateIndex
CREATE INDEX "Approval_projectId_state_idx" ON "Approval"("projectId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalVote_approvalId_round_approver_key" ON "ApprovalVote"("approvalId", "round", "approver");

-- AddForeignKey
ALTER TABLE "Approval" ADD CONSTRAINT "Approval_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Approval" ADD CONSTRAINT "Approval_commId_fkey" FOREIGN KEY ("commId") REFERENCES "Comm"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalVote" ADD CONSTRAINT "ApprovalVote_approvalId_fkey" FOREIGN KEY ("approvalId") REFERENCES "Approval"("id") ON DELETE CASCADE ON UPDATE CASCADE;
