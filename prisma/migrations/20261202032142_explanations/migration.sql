-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "explainHash" TEXT;

-- CreateTable
CREATE TABLE "Explanation" (
    "projectId" UUID NOT NULL,
    "hash" TEXT NOT NULL,
    "steps" JSONB NOT NULL,

    CONSTRAINT "Explanation_pkey" PRIMARY KEY ("projectId","hash")
);

-- AddForeignKey
ALTER TABLE "Explanation" ADD CONSTRAINT "Explanation_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
