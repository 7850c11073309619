-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "personKey" TEXT;
