-- The calendar's "check-in 2 of 3" reads each comm's last occurrence from this index (a backward
-- index-only step) instead of every message of the comm, and it serves the old commId lookups too.
DROP INDEX "Message_commId_idx";
CREATE INDEX "Message_commId_occurrence_idx" ON "Message"("commId", "occurrence");
