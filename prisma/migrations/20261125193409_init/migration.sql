-- CreateEnum
CREATE TYPE "MessageStatus" AS ENUM ('planned', 'queued', 'sending', 'sent', 'failed', 'cancelled', 'skipped');

-- CreateTable
CREATE TABLE "Project" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "catchUp" TEXT NOT NULL DEFAULT 'skip',
    "plan" JSONB NOT NULL,
    "planHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Milestone" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "localAt" TEXT NOT NULL,
    "doneAt" TIMESTAMPTZ(3),

    CONSTRAINT "Milestone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MilestoneMove" (
    "id" UUID NOT NULL,
    "milestoneId" UUID NOT NULL,
    "fromAt" TIMESTAMPTZ(3) NOT NULL,
    "toAt" TIMESTAMPTZ(3) NOT NULL,
    "source" TEXT NOT NULL,
    "movedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MilestoneMove_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Workstream" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "ownerKey" TEXT NOT NULL,
    "escalationKey" TEXT,

    CONSTRAINT "Workstream_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Audience" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "description" TEXT,

    CONSTRAINT "Audience_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "slackId" TEXT,
    "slackLookedUpAt" TIMESTAMPTZ(3),
    "timezone" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'en-US',
    "audiences" TEXT[],
    "emailRejectedAt" TIMESTAMPTZ(3),
    "emailRejectReason" TEXT,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OptOut" (
    "id" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "commKey" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OptOut_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Comm" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "audiences" TEXT[],
    "channels" TEXT[],
    "workstreamKey" TEXT,
    "optional" BOOLEAN NOT NULL DEFAULT false,
    "spec" JSONB NOT NULL,

    CONSTRAINT "Comm_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Survey" (
    "id" UUID NOT NULL,
    "commId" UUID NOT NULL,
    "question" TEXT NOT NULL,
    "options" JSONB NOT NULL,
    "comment" TEXT NOT NULL DEFAULT 'none',
    "remind" JSONB,
    "escalateTo" TEXT NOT NULL DEFAULT 'workstream-owner',

    CONSTRAINT "Survey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "commId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "occurrence" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "seriesItem" TEXT,
    "milestones" TEXT[],
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "status" "MessageStatus" NOT NULL DEFAULT 'planned',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "providerId" TEXT,
    "providerChannel" TEXT,
    "sentAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Delivery" (
    "id" UUID NOT NULL,
    "messageId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "channel" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "providerId" TEXT,
    "providerChannel" TEXT,
    "error" TEXT,
    "durationMs" INTEGER,

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Response" (
    "id" UUID NOT NULL,
    "messageId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "value" TEXT NOT NULL,
    "comment" TEXT,
    "source" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Response_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Project_key_key" ON "Project"("key");

-- CreateIndex
CREATE UNIQUE INDEX "Milestone_projectId_key_key" ON "Milestone"("projectId", "key");

-- CreateIndex
CREATE INDEX "MilestoneMove_milestoneId_movedAt_idx" ON "MilestoneMove"("milestoneId", "movedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Workstream_projectId_key_key" ON "Workstream"("projectId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Audience_projectId_key_key" ON "Audience"("projectId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Person_projectId_key_key" ON "Person"("projectId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "OptOut_personId_commKey_key" ON "OptOut"("personId", "commKey");

-- CreateIndex
CREATE UNIQUE INDEX "Comm_projectId_key_key" ON "Comm"("projectId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Survey_commId_key" ON "Survey"("commId");

-- CreateIndex
CREATE INDEX "Message_status_dueAt_idx" ON "Message"("status", "dueAt");

-- CreateIndex
CREATE INDEX "Message_commId_idx" ON "Message"("commId");

-- CreateIndex
CREATE UNIQUE INDEX "Message_projectId_key_key" ON "Message"("projectId", "key");

-- CreateIndex
CREATE INDEX "Delivery_messageId_at_idx" ON "Delivery"("messageId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Response_messageId_personId_key" ON "Response"("messageId", "personId");

-- AddForeignKey
ALTER TABLE "Milestone" ADD CONSTRAINT "Milestone_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MilestoneMove" ADD CONSTRAINT "MilestoneMove_milestoneId_fkey" FOREIGN KEY ("milestoneId") REFERENCES "Milestone"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Workstream" ADD CONSTRAINT "Workstream_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Audience" ADD CONSTRAINT "Audience_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OptOut" ADD CONSTRAINT "OptOut_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Comm" ADD CONSTRAINT "Comm_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Survey" ADD CONSTRAINT "Survey_commId_fkey" FOREIGN KEY ("commId") REFERENCES "Comm"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_commId_fkey" FOREIGN KEY ("commId") REFERENCES "Comm"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
