-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "warnings" JSONB NOT NULL DEFAULT '[]';
