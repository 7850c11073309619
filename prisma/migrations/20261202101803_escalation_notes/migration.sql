-- AlterTable
ALTER TABLE "Escalation" ADD COLUMN     "acknowledgementNote" TEXT,
ADD COLUMN     "resolutionNote" TEXT;
