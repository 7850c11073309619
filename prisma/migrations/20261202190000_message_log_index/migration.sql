-- CreateIndex
CREATE INDEX "Message_projectId_dueAt_key_idx" ON "Message"("projectId", "dueAt", "key");
