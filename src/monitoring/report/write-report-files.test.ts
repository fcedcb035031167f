import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import { parseMonitorReport } from './parse-monitor-report.js';
import { sampleMonitorReport } from './report-fixture.js';
import { writeReportFiles } from './write-report-files.js';

describe('writeReportFiles', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-report-files-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes HTML and JSON into new directories and returns their absolute paths', async () => {
    const report = sampleMonitorReport();
    const written = await writeReportFiles({
      report,
      html: join(dir, 'out', 'report.html'),
      json: join(dir, 'out', 'json', 'report.json'),
    });
    expect(written).toEqual({
      html: join(dir, 'out', 'report.html'),
      json: join(dir, 'out', 'json', 'report.json'),
    });
    const json = await readFile(written.json!, 'utf8');
    expect(json.endsWith('}\n')).toBe(true);
    expect(parseMonitorReport(json, written.json)).toEqual(report);
    const html = await readFile(written.html!, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // Temp files were renamed, none left behind.
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['json', 'report.html']);
  });

  it('writes only what was asked for', async () => {
    const written = await writeReportFiles({
      report: sampleMonitorReport(),
      json: join(dir, 'r.json'),
    });
    expect(written).toEqual({ json: join(dir, 'r.json') });
    expect(await readdir(dir)).toEqual(['r.json']);
  });

  it('writes nothing for a report the schema refuses', async () => {
    const report = sampleMonitorReport();
    const broken = { ...report, metrics: { ...report.metrics, 'performance.mae': Number.NaN } };
    await expect(
      writeReportFiles({ report: broken, html: join(dir, 'r.html'), json: join(dir, 'r.json') }),
    ).rejects.toThrow(/at \$\.metrics\["performance\.mae"\]: expected a number, a boolean or null/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('names the path it cannot write', async () => {
    await writeFile(join(dir, 'file'), 'not a directory');
    const target = join(dir, 'file', 'report.json');
    const err: unknown = await writeReportFiles({
      report: sampleMonitorReport(),
      json: target,
    }).catch((e: unknown) => e);
    expect(MlopsError.is(err)).toBe(true);
    expect((err as MlopsError).code).toBe('IO_ERROR');
    expect((err as MlopsError).message).toContain(`Cannot write the JSON report to ${target}`);
  });
});
