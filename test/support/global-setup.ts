// Replaced by the database test support (per-run PostgreSQL databases and Redis prefixes).
export default function setup(): void {}
