import { escapeXml } from '../../../core/index.js';

/** HTML-escaped text: every user string (column, source, note, message) goes through this. */
export const esc = escapeXml;

const SIGNIFICANT = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });
const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A number as a reader wants it: 4 significant digits, tiny ones as 3.1e-7, '—' for none. */
export function num(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value !== 0 && Math.abs(value) < 1e-4) return value.toExponential(1);
  return SIGNIFICANT.format(value);
}

export function int(value: number): string {
  return INTEGER.format(value);
}

/** A share (0..1) as a percentage with one decimal ('0%' stays short). */
export function pct(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value === 0) return '0%';
  const p = value * 100;
  return `${p < 0.1 ? p.toExponential(0) : p.toFixed(p < 10 ? 1 : 0)}%`;
}

/** A signed change, e.g. '+0.74'. */
export function signed(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '';
  return `${value > 0 ? '+' : value < 0 ? '−' : '±'}${num(Math.abs(value))}`;
}

/** Epoch ms as a UTC date, with the time only when it is not midnight. */
export function time(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('T00:00:00.000Z')
    ? iso.slice(0, 10)
    : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

export function span(from: number | undefined, to: number | undefined): string {
  if (from === undefined && to === undefined) return 'time span unknown';
  if (from === undefined) return `until ${time(to!)}`;
  if (to === undefined) return `from ${time(from)}`;
  return `${time(from)} → ${time(to)}`;
}

export type Tone = 'good' | 'bad' | 'warn' | 'muted' | 'info';

export function badge(text: string, tone: Tone): string {
  return `<span class="badge ${tone}">${esc(text)}</span>`;
}

export function plural(n: number, word: string): string {
  return `${int(n)} ${word}${n === 1 ? '' : 's'}`;
}
