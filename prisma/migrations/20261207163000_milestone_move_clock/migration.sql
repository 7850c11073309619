-- AlterTable
ALTER TABLE "MilestoneMove" ALTER COLUMN "movedAt" DROP DEFAULT;
