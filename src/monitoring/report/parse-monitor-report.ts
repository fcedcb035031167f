import { z } from 'zod';
import { invalidParam } from '../../core/index.js';
import { MONITOR_REPORT_SCHEMA } from './report-schema.js';
import type { MonitorReport } from './report-types.js';

/** Issues listed in one error message; the rest are counted. */
const MAX_LISTED = 5;

/**
 * A report from its JSON text or an already parsed value, checked against
 * `MONITOR_REPORT_SCHEMA`. Errors name the JSON path of each problem (`dataDrift.columns[2].score`)
 * and `source` (a file name) when given.
 */
export function parseMonitorReport(input: unknown, source = 'monitor report'): MonitorReport {
  let raw = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input) as unknown;
    } catch (err) {
      throw invalidParam(`${source} is not valid JSON: ${(err as Error).message}.`, {
        file: source,
      });
    }
  }
  const parsed = MONITOR_REPORT_SCHEMA.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: jsonPath(issue.path),
    message: issueMessage(issue),
  }));
  const listed = issues.slice(0, MAX_LISTED).map((i) => `at ${i.path}: ${i.message}`);
  const more = issues.length > MAX_LISTED ? `; and ${issues.length - MAX_LISTED} more` : '';
  throw invalidParam(
    `${source} does not match the monitor report schema (schemaVersion 1): ${listed.join('; ')}${more}. See docs/monitoring.md.`,
    { file: source, issues },
  );
}

/**
 * The JSON Schema (draft 2020-12) of the report's JSON, generated from `MONITOR_REPORT_SCHEMA`;
 * the same input always gives the same output, so it can be published and diffed.
 */
export function monitorReportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(MONITOR_REPORT_SCHEMA, { target: 'draft-2020-12', io: 'output' });
}

/** `$` for the root, then `.key` and `[index]` as a reader of the JSON would write them. */
function jsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  }
  if (issue.code === 'invalid_value' && issue.path.at(-1) === 'schemaVersion') {
    return `expected 1; this mlops reads schemaVersion 1 reports only`;
  }
  return issue.message.replace(/^Invalid input: /, '');
}
