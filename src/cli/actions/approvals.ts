import { cliActor } from '../actor.ts';
import { approvalEntryWithVariants, pendingFirst } from '../../app/approval-entry.ts';
import { decisionOutcome, decisionWords, needsWords, viaWords, whyNoApprovals } from '../../app/approval-words.ts';
import { decideApproval } from '../../app/decide-approval.ts';
import { findApproval, listApprovals, type ApprovalView } from '../../app/list-approvals.ts';
import type { ApprovalState } from '../../domain/approval/rules.ts';
import { HeraldError } from '../../domain/errors.ts';
import { channelName } from '../../domain/plan/comm-title.ts';
import type { CliContext } from '../context.ts';
import { checkChoice, checkCount, checkFilterKeys } from '../options.ts';
import { projectTime } from '../project-time.ts';

export interface ApprovalsCliOptions {
  state?: string;
  occurrence?: string;
  show?: boolean;
  format: string;
}

export interface DecideCliOptions {
  occurrence?: string;
  as?: string;
  note?: string;
}

const STATES: readonly ApprovalState[] = ['pending', 'approved', 'rejected'];

/** `herald approvals PROJECT [COMM] [--state S] [--occurrence N] [--show] [--format json]`. */
export async function approvals(ctx: CliContext, project: string, comm: string | undefined, o: ApprovalsCliOptions): Promise<void> {
  checkChoice('--format', o.format, ['table', 'json']);
  const state = o.state === undefined ? undefined : (checkChoice('--state', o.state, STATES) as ApprovalState);
  const occurrence = o.occurrence === undefined ? undefined : checkCount('--occurrence', o.occurrence, 0);
  if (occurrence !== undefined && comm === undefined) {
    throw new HeraldError('BAD_OPTION', '--occurrence needs the comm it is an occurrence of', {
      hint: `e.g. herald approvals ${project} COMM --occurrence ${occurrence}`,
    });
  }
  await ctx.withDb(async (db) => {
    const all = await listApprovals(db, { project, state });
    const list = pendingFirst(all.filter((a) => (comm === undefined || a.commKey === comm) && (occurrence === undefined || a.occurrence === occurrence)));
    if (!list.length && comm !== undefined) await checkFilterKeys(db.sql, project, { comm });
    if (o.format === 'json') return ctx.output.out(JSON.stringify(list.map(approvalEntryWithVariants), null, 2));
    const stored = await db.stores.projects.findWithPlan(project);
    if (!list.length) {
      const what = [state, 'approvals'].filter(Boolean).join(' ');
      const why = all.length || state !== undefined || !stored ? '' : `: ${whyNoApprovals(stored.plan)}`;
      return ctx.output.out(
        `no ${what}${comm === undefined ? '' : ' of this comm'}${occurrence === undefined ? '' : ` at occurrence ${occurrence}`} in project ${project}${why}`,
      );
    }
    const zone = stored?.plan.project.timezone ?? 'UTC';
    ctx.output.out(formatApprovals(list, zone, o.show ?? false));
  });
}

const INDENT = ' '.repeat(13);
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').slice(0, 120);

/** The table: one line per approval, then its approvers' decisions (and with --show each variant) indented below it. */
function formatApprovals(list: readonly ApprovalView[], zone: string, show: boolean): string {
  const when = (at: Date) => projectTime(at, zone);
  const width = when(list[0]!.firstSendAt).length;
  const head = `${'state'.padEnd(9)}    ${'first send'.padEnd(width)}  ${'held'.padStart(4)}  approval`;
  const lines = list.flatMap((a, i) => [
    ...(i > 0 ? [''] : []),
    `${a.state.padEnd(9)}    ${when(a.firstSendAt).padEnd(width)}  ${String(a.held).padStart(4)}  ${a.title} — needs ${needsWords(a)}` +
      `${a.round > 1 ? ` (asked again after the content changed: round ${a.round})` : ''}`,
    ...a.approvers.map((p) => {
      const acted = p.at ? ` ${when(p.at)} ${viaWords(p.via)}${p.actor && p.actor !== p.id ? ` (recorded by ${p.actor})` : ''}` : '';
      return `${INDENT}${p.name}: ${decisionWords(p.decision)}${acted}${p.note ? `: "${oneLine(p.note)}"` : ''}`;
    }),
    ...a.others.map(
      (v) => `${INDENT}${v.actor} (editor): ${decisionWords(v.decision)} ${when(v.at)} ${viaWords(v.via)}${v.note ? `: "${oneLine(v.note)}"` : ''}`,
    ),
    ...(show ? variantLines(a) : []),
  ]);
  return [head, ...lines].join('\n');
}

function variantLines(a: ApprovalView): string[] {
  return a.variants.flatMap((v) => [
    `${INDENT}── ${v.audience} · ${channelName(v.channel)} · ${v.locale} · as ${v.sample} receives it`,
    ...(v.channel === 'email' ? [`${INDENT}Subject: ${v.subject}`] : []),
    ...v.text.split('\n').map((l) => `${INDENT}│ ${l}`.trimEnd()),
  ]);
}

/** `herald approve|reject PROJECT COMM [--occurrence N] [--as APPROVER] [--note TEXT]`. */
export async function decide(ctx: CliContext, decision: 'approve' | 'reject', project: string, comm: string, o: DecideCliOptions): Promise<void> {
  const occurrence = o.occurrence === undefined ? undefined : checkCount('--occurrence', o.occurrence, 0);
  await ctx.withDb(async (db) => {
    const a = await findApproval(db, { project, comm, occurrence });
    const actor = cliActor();
    const r = await decideApproval(
      { stores: db.stores, clock: ctx.clock },
      { approvalId: a.id, decision, note: o.note, onBehalfOf: o.as, actor, via: 'cli', project, round: a.round },
    );
    const who = o.as === undefined ? ` as ${actor}` : ` for ${a.approvers.find((p) => p.id === o.as)?.name ?? o.as}`;
    const after = r.changed && r.state === 'pending' ? await findApproval(db, { project, comm, occurrence: a.occurrence }) : undefined;
    const said = decisionOutcome(r, decision, a.title, who, after);
    ctx.output.out(!r.changed && o.note?.trim() ? `${said.replace(/\.$/, '')} (the note was not stored).` : said);
  });
}
