-- DropIndex
DROP INDEX "Response_messageId_personId_key";

-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "remindersPausedUntil" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Response" DROP COLUMN "source",
DROP COLUMN "value",
ADD COLUMN     "channel" TEXT NOT NULL,
ADD COLUMN     "commId" UUID NOT NULL,
ADD COLUMN     "fromOtherAddress" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "occurrence" INTEGER NOT NULL,
ADD COLUMN     "option" TEXT,
ADD COLUMN     "projectId" UUID NOT NULL,
ADD COLUMN     "receivedAt" TIMESTAMPTZ(3) NOT NULL,
ADD COLUMN     "sourceRef" TEXT NOT NULL,
ADD COLUMN     "sourceRefs" TEXT[];

-- AlterTable
ALTER TABLE "Workstream" ADD COLUMN     "status" TEXT,
ADD COLUMN     "statusAt" TIMESTAMPTZ(3),
ADD COLUMN     "statusByPersonId" UUID,
ADD COLUMN     "statusComment" TEXT;

-- CreateTable
CREATE TABLE "ResponseChange" (
    "id" UUID NOT NULL,
    "responseId" UUID NOT NULL,
    "oldOption" TEXT,
    "newOption" TEXT,
    "oldComment" TEXT,
    "newComment" TEXT,
    "channel" TEXT NOT NULL,
    "sourceRef" TEXT NOT NULL,
    "fromOtherAddress" BOOLEAN NOT NULL DEFAULT false,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ResponseChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ResponseChange_responseId_at_idx" ON "ResponseChange"("responseId", "at");

-- CreateIndex
CREATE INDEX "Response_projectId_commId_idx" ON "Response"("projectId", "commId");

-- CreateIndex
CREATE UNIQUE INDEX "Response_commId_occurrence_personId_key" ON "Response"("commId", "occurrence", "personId");

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_commId_fkey" FOREIGN KEY ("commId") REFERENCES "Comm"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResponseChange" ADD CONSTRAINT "ResponseChange_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "Response"("id") ON DELETE CASCADE ON UPDATE CASCADE;
