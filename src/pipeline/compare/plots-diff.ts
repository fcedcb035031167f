import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { MlopsError } from '../../core/index.js';
import type { LockFile } from '../lock/index.js';
import { lineChartSvg } from './line-chart-svg.js';
import type { PlotOptions } from '../spec/index.js';
import { plotCharts, type RevisionTable } from './plot-charts.js';
import { parsePlotFile } from './plot-file.js';
import { plotsPage, type PageSection } from './plots-page.js';
import {
  WORKSPACE,
  openRevision,
  readLockAt,
  readOutAt,
  revisionLabel,
  type ReadStored,
  type Revision,
  type RevisionRef,
} from './revision.js';

/** A plot to draw: a file path (workspace-relative) and how to draw it. */
export interface PlotSpec {
  readonly path: string;
  readonly options?: PlotOptions;
}

export interface PlotsDiffOptions {
  /** The workspace root. */
  readonly root: string;
  /** Revisions to overlay, in legend order; default `HEAD` and `workspace`. */
  readonly revs?: readonly string[];
  /** Default: every `kind: plot` out of the revisions' lock files. */
  readonly plots?: readonly PlotSpec[];
  /** How to draw plots by path when `plots` (or its entry) gives no options, e.g. from mlops.yaml. */
  readonly optionsByPath?: ReadonlyMap<string, PlotOptions>;
  /** Where to write the HTML page (relative to `root` unless absolute). */
  readonly out: string;
  /** Reads a cached plot file that git does not hold, by manifest id. */
  readonly readStored?: ReadStored;
}

export interface PlotReport {
  readonly path: string;
  /** `data`: drawn as charts; `image`: shown as is; `none`: nothing readable at any revision. */
  readonly kind: 'data' | 'image' | 'none';
  /** The x column (null: the row index); data plots only. */
  readonly x: string | null;
  /** The y columns, one chart each; data plots only. */
  readonly y: readonly string[];
  /** Revisions drawn. */
  readonly shown: readonly string[];
  /** Revisions where the file is absent. */
  readonly missing: readonly string[];
  /** Revisions whose file could not be read or lacks a column (messages name file and revision). */
  readonly problems: readonly { readonly rev: string; readonly message: string }[];
}

export interface PlotsDiff {
  /** The page written (absolute path). */
  readonly out: string;
  readonly revisions: readonly RevisionRef[];
  readonly plots: readonly PlotReport[];
}

/** Distinct line colours, one per revision (Tableau 10). */
const PALETTE = [
  '#4e79a7',
  '#e15759',
  '#59a14f',
  '#f28e2b',
  '#b07aa1',
  '#76b7b2',
  '#edc948',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/**
 * `mlops plots diff [revs...]`: every plot file at every revision, overlaid in one HTML page
 * (written to `out`). A file absent or unreadable at a revision is noted, not fatal.
 */
export async function plotsDiff(options: PlotsDiffOptions): Promise<PlotsDiff> {
  const names = [...new Set(options.revs?.length ? options.revs : ['HEAD', WORKSPACE])];
  const revisions = await Promise.all(names.map((rev) => openRevision(options.root, rev)));
  const locks = await Promise.all(revisions.map(readLockAt));
  const specs = (options.plots ?? plotOuts(locks).map((path): PlotSpec => ({ path }))).map(
    (spec) => {
      const known = spec.options ?? options.optionsByPath?.get(spec.path);
      return known === undefined ? { path: spec.path } : { path: spec.path, options: known };
    },
  );
  const colours = revisions.map((_, i) => PALETTE[i % PALETTE.length] ?? '#000');
  const reports: PlotReport[] = [];
  const sections: PageSection[] = [];
  for (const spec of specs) {
    const { report, section } = await comparePlot(
      spec,
      revisions,
      locks,
      colours,
      options.readStored,
    );
    reports.push(report);
    sections.push(section);
  }
  const out = resolve(options.root, options.out);
  const legend = revisions.map((r, i) => ({
    label: revisionLabel(r),
    colour: colours[i] ?? '#000',
  }));
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, plotsPage(legend, sections));
  } catch (err) {
    throw new MlopsError('IO_ERROR', `Cannot write ${out}: ${(err as Error).message}.`, {
      cause: err,
    });
  }
  return {
    out,
    revisions: revisions.map((r) => ({ rev: r.rev, commit: r.commit })),
    plots: reports,
  };
}

async function comparePlot(
  spec: PlotSpec,
  revisions: readonly Revision[],
  locks: readonly LockFile[],
  colours: readonly string[],
  readStored: ReadStored | undefined,
): Promise<{ report: PlotReport; section: PageSection }> {
  const missing: string[] = [];
  const problems: { rev: string; message: string }[] = [];
  const tables: RevisionTable[] = [];
  const images: PageSection['images'][number][] = [];
  for (const [i, revision] of revisions.entries()) {
    const manifest = locks[i] && outManifest(locks[i], spec.path);
    const bytes = await readOutAt(revision, spec.path, manifest, readStored);
    if (bytes === undefined) {
      missing.push(revision.rev);
      continue;
    }
    const shown =
      revision.commit === null ? spec.path : `${spec.path} at revision '${revision.rev}'`;
    try {
      const file = parsePlotFile(spec.path, bytes, shown);
      if (file.kind === 'image')
        images.push({ rev: revision.rev, mime: file.mime, bytes: file.bytes });
      else
        tables.push({ rev: revision.rev, shown, colour: colours[i] ?? '#000', table: file.table });
    } catch (err) {
      if (!MlopsError.is(err) || err.code !== 'INVALID_PARAMETER_VALUE') throw err;
      problems.push({ rev: revision.rev, message: err.message });
    }
  }
  const drawn = tables.length > 0 ? plotCharts(spec.path, tables, spec.options) : undefined;
  problems.push(...(drawn?.problems ?? []));
  const report: PlotReport = {
    path: spec.path,
    kind: drawn ? 'data' : images.length > 0 ? 'image' : 'none',
    x: drawn?.x ?? null,
    y: drawn?.y ?? [],
    shown: [...tables.map((t) => t.rev), ...images.map((i) => i.rev)],
    missing,
    problems,
  };
  const notes = [
    ...missing.map((rev) => `Not present at ${rev}.`),
    ...problems.map((p) => p.message),
  ];
  const charts = (drawn?.charts ?? []).map(lineChartSvg);
  return { report, section: { path: spec.path, notes, charts, images } };
}

/** Every `kind: plot` out path of the locks, in order of first appearance. */
function plotOuts(locks: readonly LockFile[]): string[] {
  const paths = new Set<string>();
  for (const lock of locks) {
    for (const stage of Object.values(lock.stages)) {
      for (const out of stage.outs) if (out.kind === 'plot') paths.add(out.path);
    }
  }
  return [...paths];
}

function outManifest(lock: LockFile, path: string): string | undefined {
  for (const stage of Object.values(lock.stages)) {
    const out = stage.outs.find((o) => o.path === path);
    if (out) return out.manifest;
  }
  return undefined;
}
