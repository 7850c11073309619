import type { PlanIssue } from '../errors.ts';

export interface Where {
  file: string;
  line: number;
  path: string;
}

/** Collects every error and warning so the user sees all problems at once. */
export class IssueSink {
  readonly errors: PlanIssue[] = [];
  readonly warnings: PlanIssue[] = [];

  error(at: Where, message: string): void {
    this.errors.push({ file: at.file, line: at.line, path: at.path, message });
  }

  warn(at: Where, message: string): void {
    this.warnings.push({ file: at.file, line: at.line, path: at.path, message });
  }

  /** Compare before and after reading a part to know whether that part was clean. */
  errorCount(): number {
    return this.errors.length;
  }
}

/** Plan file first, then other files by name; by line inside a file; stable otherwise. */
export function sortIssues(issues: readonly PlanIssue[], planFile: string): PlanIssue[] {
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => {
      const fa = a.issue.file === planFile ? '' : a.issue.file;
      const fb = b.issue.file === planFile ? '' : b.issue.file;
      if (fa !== fb) return fa < fb ? -1 : 1;
      return a.issue.line - b.issue.line || a.i - b.i;
    })
    .map((x) => x.issue);
}
