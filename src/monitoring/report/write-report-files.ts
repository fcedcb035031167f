import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from '../../blobs/index.js';
import { MlopsError } from '../../core/index.js';
import { renderReportHtml } from './html/render-report-html.js';
import { parseMonitorReport } from './parse-monitor-report.js';
import type { MonitorReport } from './report-types.js';

export interface ReportFiles {
  /** Absolute paths of the files written. */
  readonly html?: string;
  readonly json?: string;
}

/**
 * Writes the report as HTML and/or JSON (2-space indented), each atomically (temp file + rename:
 * a reader never sees half a file), creating parent directories. The report is checked against
 * the schema first, so a file that `parseMonitorReport` would refuse is never written.
 */
export async function writeReportFiles(options: {
  readonly report: MonitorReport;
  readonly html?: string | undefined;
  readonly json?: string | undefined;
}): Promise<ReportFiles> {
  const report = parseMonitorReport(options.report, 'the report to write');
  const jobs: { kind: 'html' | 'json'; path: string; text: () => string }[] = [];
  if (options.html !== undefined) {
    jobs.push({ kind: 'html', path: resolve(options.html), text: () => renderReportHtml(report) });
  }
  if (options.json !== undefined) {
    jobs.push({
      kind: 'json',
      path: resolve(options.json),
      text: () => `${JSON.stringify(report, null, 2)}\n`,
    });
  }
  const written: { html?: string; json?: string } = {};
  for (const job of jobs) {
    try {
      await mkdir(dirname(job.path), { recursive: true });
      await writeFileAtomic(job.path, [Buffer.from(job.text(), 'utf8')]);
    } catch (err) {
      throw new MlopsError(
        'IO_ERROR',
        `Cannot write the ${job.kind.toUpperCase()} report to ${job.path}: ${(err as Error).message}. Check that the directory is writable.`,
        { cause: err, details: { file: job.path } },
      );
    }
    written[job.kind] = job.path;
  }
  return written;
}
