/**
 * Server-rendered SVG charts (no script, no outside assets). Each chart is role="img" with a
 * <title>, and the page puts the same figures beside it as text, so it is readable without sight.
 * Colours meet 3:1 against white for graphics; text is dark on light.
 */
import { DateTime } from 'luxon';
import { html, type Html, concat } from './html.ts';

export interface TimelineItem {
  label: string;
  baseline: Date;
  current: Date;
  moves: number;
  done: boolean;
}

const W = 480;
const LABEL_W = 130;
const ROW = 34;

function day(d: Date, zone: string): string {
  return DateTime.fromJSDate(d, { zone }).toFormat('d LLL yyyy');
}

/** Milestones on one time axis: hollow = baseline, filled = current, a line between when moved. */
export function milestoneTimeline(items: readonly TimelineItem[], zone: string, title: string, now: Date): Html {
  if (!items.length) return html`<p>No milestones.</p>`;
  const times = items.flatMap((i) => [i.baseline.getTime(), i.current.getTime()]).concat(now.getTime());
  const min = Math.min(...times);
  const max = Math.max(...times);
  const span = Math.max(max - min, 86_400_000);
  const x = (t: number) => LABEL_W + 12 + ((t - min) / span) * (W - LABEL_W - 36);
  const height = items.length * ROW + 40;
  const rows = items.map((i, n) => {
    const y = 24 + n * ROW;
    const bx = x(i.baseline.getTime());
    const cx = x(i.current.getTime());
    const moved = i.baseline.getTime() !== i.current.getTime();
    return html`<g>
<text x="0" y="${y + 5}" font-size="13" fill="#1b1f24">${i.label.length > 18 ? `${i.label.slice(0, 17)}…` : i.label}</text>
${
  moved
    ? html`<line x1="${bx}" y1="${y}" x2="${cx}" y2="${y}" stroke="#8a4b00" stroke-width="2" stroke-dasharray="4 3"/>
<circle cx="${bx}" cy="${y}" r="6" fill="#fff" stroke="#57606a" stroke-width="2"/>`
    : ''
}
<circle cx="${cx}" cy="${y}" r="7" fill="${i.done ? '#116329' : moved ? '#8a4b00' : '#0b57c2'}"/>
</g>`;
  });
  const nx = x(now.getTime());
  const ticks = [min, min + span / 2, max].map((t, k) =>
    concat(
      html`<text x="${x(t)}" y="${height - 4}" font-size="11" fill="#57606a" text-anchor="`,
      html`${k === 0 ? 'start' : k === 2 ? 'end' : 'middle'}">${day(new Date(t), zone)}</text>`,
    ),
  );
  return html`<svg viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-labelledby="timeline-title" focusable="false">
<title id="timeline-title">${title}</title>
<line x1="${nx}" y1="8" x2="${nx}" y2="${height - 20}" stroke="#6e7781" stroke-width="1"/>
<text x="${nx + 3}" y="12" font-size="11" fill="#57606a">today</text>
${rows}
${ticks}
</svg>`;
}

export interface Bar {
  label: string;
  /** 0–100. */
  percent: number;
  detail: string;
}

/** Horizontal bars, one per row, with the percentage written at the end of each bar. */
export function barChart(bars: readonly Bar[], title: string, id: string): Html {
  if (!bars.length) return html`<p>Nothing to chart yet.</p>`;
  const height = bars.length * ROW + 8;
  const full = W - LABEL_W - 60;
  const rows = bars.map((b, n) => {
    const y = 6 + n * ROW;
    const w = Math.max(1, (Math.max(0, Math.min(100, b.percent)) / 100) * full);
    return html`<g>
<text x="0" y="${y + 17}" font-size="13" fill="#1b1f24">${b.label.length > 18 ? `${b.label.slice(0, 17)}…` : b.label}</text>
<rect x="${LABEL_W}" y="${y + 4}" width="${full}" height="18" fill="#eaeef2"/>
<rect x="${LABEL_W}" y="${y + 4}" width="${w.toFixed(1)}" height="18" fill="#0b57c2"/>
<text x="${LABEL_W + full + 6}" y="${y + 17}" font-size="13" fill="#1b1f24">${Math.round(b.percent)}%</text>
</g>`;
  });
  return concat(
    html`<svg viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-labelledby="${id}"`,
    html` focusable="false"><title id="${id}">${title}</title>${rows}</svg>`,
  );
}

/** A Date as the project's local day, for tables beside the charts. */
export function localDay(d: Date, zone: string): string {
  return day(d, zone);
}
