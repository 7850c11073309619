-- AlterTable
ALTER TABLE "IdempotentResponse" ADD COLUMN     "request" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "Session" (
    "idHash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "tokenId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("idHash")
);

-- CreateIndex
CREATE INDEX "Session_tokenId_idx" ON "Session"("tokenId");

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");
