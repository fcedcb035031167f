import { formatScore, type GateRecord } from '../../registry/index.js';

const COLUMNS = ['rmse', 'mae', 'mape', 'directional_accuracy', 'skill'] as const;
const HEADERS: Record<(typeof COLUMNS)[number], string> = {
  rmse: 'RMSE',
  mae: 'MAE',
  mape: 'MAPE %',
  directional_accuracy: 'DIR. ACC.',
  skill: 'SKILL',
};

/**
 * A decision as plain lines: what was compared on which rows, one row per judged version (best
 * first, the ranking metric starred, the alias marked), then the reasons. The same numbers as
 * the record's tags, printed with 6 significant digits.
 */
export function formatPromotion(record: Omit<GateRecord, 'id' | 'decided_at'>): string[] {
  const { rows, data } = record;
  const range = rows.first_date ? ` ${rows.first_date}..${rows.last_date}` : '';
  const after = rows.after ? `, dated after ${rows.after} (the latest training end)` : '';
  const lines = [
    `Gate for '${record.model}@${record.alias}' by ${record.metric} (min_improvement ${record.min_improvement}): ${rows.count} rows${range}${after} of ${data.source} (sha256 ${data.sha256.slice(0, 12)})`,
  ];
  if (record.versions.some((v) => v.metrics !== undefined)) {
    const header = [
      'VERSION',
      'ROLE',
      'KIND',
      ...COLUMNS.map((c) => (c === record.metric ? `${HEADERS[c]}*` : HEADERS[c])),
      '',
    ];
    const body = record.versions.map((v) => [
      `v${v.version}`,
      v.roles.join('+'),
      v.model_kind ?? '',
      ...COLUMNS.map((c) => {
        const value = v.metrics?.[c];
        return value === undefined ? '' : formatScore(value);
      }),
      v.version === record.alias_after ? `<- ${record.alias}` : '',
    ]);
    lines.push(...aligned([header, ...body]).map((l) => `  ${l}`));
  }
  lines.push(record.reasons[0] ?? record.outcome);
  lines.push(...record.reasons.slice(1).map((r) => `  ${r}`));
  return lines;
}

function aligned(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}
