-- CreateTable
CREATE TABLE "MailboxCursor" (
    "mailbox" TEXT NOT NULL,
    "deltaLink" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MailboxCursor_pkey" PRIMARY KEY ("mailbox")
);
