import type { Command } from 'commander';
import { MlopsError } from '../../core/index.js';
import type { DataDiffEntry, DataVerifyReport } from '../../data/index.js';
import { collect, type GlobalOptions } from '../context.js';
import { printJson, printTable } from '../output.js';

const short = (hash: string | null) => (hash === null ? '' : hash.slice(0, 12));

/** Adds `log`, `diff`, `gc` and `verify` to the `data` command group. */
export function registerHistoryCommands(data: Command): void {
  data
    .command('log <path>')
    .description(
      'The versions of a versioned path from the git history of its pointer, with the runs that used each',
    )
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  mlops data log data/prices.csv\n  mlops data log data/images --json',
    )
    .action(async (path: string, opts: { json?: boolean }, command: Command) => {
      const { dataLogJob } = await import('../../app/index.js');
      const log = await dataLogJob(path, globals(command));
      if (opts.json) return printJson(log);
      const n = log.versions.length;
      process.stdout.write(`${log.path}: ${n} version${n === 1 ? '' : 's'}, newest first\n`);
      printTable(
        ['COMMIT', 'DATE', 'AUTHOR', 'CHANGE', 'SHA256', 'SIZE', 'FILES', 'CACHED', 'RUNS'],
        log.versions.map((v) => [
          v.commit === null ? '(working tree)' : v.commit.slice(0, 12),
          v.date === null ? '' : v.date.replace('T', ' '),
          v.author === null ? '' : v.author.replace(/\s*<[^>]*>$/, ''),
          v.change,
          short(v.sha256),
          v.size,
          v.files,
          v.sha256 === null ? '' : v.cached ? 'yes' : 'no',
          v.runs.join(', '),
        ]),
      );
      for (const v of log.versions) {
        if (v.note !== undefined) process.stdout.write(`${short(v.commit)}: ${v.note}\n`);
      }
      if (log.note !== undefined) process.stdout.write(`Note: ${log.note}\n`);
    });

  data
    .command('diff <rev-a> [rev-b]')
    .description(
      'Compare the pointers at two git revisions (rev-b default: the working tree): bytes, rows of CSV-like files, files of directories',
    )
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nRows are counted from bytes in the local cache for .csv .tsv .psv .txt .jsonl .ndjson files:\nan append (the new version starts with the old one) reports the exact rows added; any other\nedit reports the change in line count.\n\nExamples:\n  mlops data diff HEAD\n  mlops data diff HEAD~1 HEAD --json\n  mlops data diff v1.0 main',
    )
    .action(async (revA: string, revB: string | undefined, opts: { json?: boolean }) => {
      const { dataDiffJob } = await import('../../app/index.js');
      const diff = await dataDiffJob(revA, revB);
      if (opts.json) return printJson(diff);
      const side = (s: { rev: string; commit: string | null }) =>
        s.commit === null ? s.rev : `${s.rev} (${s.commit.slice(0, 12)})`;
      process.stdout.write(`Comparing ${side(diff.from)} with ${side(diff.to)}\n`);
      printTable(
        ['PATH', 'STATUS', 'BYTES BEFORE', 'BYTES AFTER', 'CHANGE'],
        diff.entries.map((e) => [e.path, e.status, e.sizeBefore, e.sizeAfter, changeText(e)]),
      );
    });

  data
    .command('gc')
    .description(
      'Delete blobs of the byte store that nothing references: roots are run artifacts, working-tree pointers and the pointers at the listed git revisions',
    )
    .option(
      '--rev <rev>',
      'also keep the data the pointers at this git revision name (repeatable)',
      collect,
    )
    .option('--all-commits', 'also keep the data every commit of every branch and tag names')
    .option('--dry-run', 'report what would be deleted; delete nothing')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nWithout --rev or --all-commits, versions that only older commits name are deleted and\n`mlops data checkout --rev <old>` can then no longer restore them (unless a remote has them).\n\nExamples:\n  mlops data gc --dry-run\n  mlops data gc --rev v1.0 --rev main\n  mlops data gc --all-commits --json',
    )
    .action(
      async (
        opts: { rev?: string[]; allCommits?: boolean; dryRun?: boolean; json?: boolean },
        command: Command,
      ) => {
        const { dataGcJob } = await import('../../app/index.js');
        const report = await dataGcJob({
          ...globals(command),
          revs: opts.rev ?? [],
          allCommits: opts.allCommits ?? false,
          dryRun: opts.dryRun ?? false,
        });
        if (opts.json) return printJson(report);
        const verb = report.dryRun ? 'Would delete' : 'Deleted';
        process.stdout.write(
          `${verb} ${report.deleted} blob${report.deleted === 1 ? '' : 's'} (${formatBytes(report.bytesFreed)} ${report.dryRun ? 'to free' : 'freed'}), kept ${report.kept}, in ${report.store}\n`,
        );
        printTable(
          ['ROOTS FROM', 'COUNT'],
          Object.entries(report.roots).map(([name, count]) => [name, count]),
        );
        if (report.missing.length > 0) {
          process.stdout.write(
            `${report.missing.length} referenced blob(s) are not in the store (run \`mlops data status\`): ${report.missing
              .slice(0, 5)
              .map((m) => short(m.hash))
              .join(', ')}${report.missing.length > 5 ? ', ...' : ''}\n`,
          );
        }
        if (report.unreadable.length > 0) {
          process.stdout.write(
            `${report.unreadable.length} root(s) could not be read and were kept; run \`mlops data verify\`.\n`,
          );
        }
        if (report.tempsRemoved > 0) {
          process.stdout.write(
            `Removed ${report.tempsRemoved} temp file(s) left by interrupted writes.\n`,
          );
        }
      },
    );

  data
    .command('verify')
    .description(
      "Re-hash every blob of the byte store and check every working-tree pointer's manifest and chunks are present; exits non-zero on any problem",
    )
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  mlops data verify\n  mlops data verify --json')
    .action(async (opts: { json?: boolean }) => {
      const { dataVerifyJob } = await import('../../app/index.js');
      const report = await dataVerifyJob();
      if (opts.json) printJson(report);
      else printVerify(report);
      if (!report.ok) throw verifyFailure(report);
    });
}

function globals(command: Command): { trackingUri?: string; autoUpgrade?: boolean } {
  const g = command.optsWithGlobals<GlobalOptions>();
  return {
    ...(g.trackingUri === undefined ? {} : { trackingUri: g.trackingUri }),
    ...(g.autoUpgrade === undefined ? {} : { autoUpgrade: g.autoUpgrade }),
  };
}

/** The CHANGE column of `data diff`. */
function changeText(e: DataDiffEntry): string {
  if (e.rows !== undefined) {
    const r = e.rows;
    if (r.kind === 'append') return `+${r.rowsAdded} rows (appended)`;
    if (r.kind === 'truncate') return `-${r.rowsRemoved} rows (truncated)`;
    return `lines ${r.linesBefore} -> ${r.linesAfter} (edited)`;
  }
  if (e.fileChanges !== undefined) {
    const f = e.fileChanges;
    return `files +${f.added.length} -${f.removed.length} ~${f.changed.length}`;
  }
  if (e.note !== undefined) return e.note;
  if (e.status === 'modified' && e.sizeBefore !== null && e.sizeAfter !== null) {
    const d = e.sizeAfter - e.sizeBefore;
    return `${d >= 0 ? '+' : ''}${d} bytes`;
  }
  return '';
}

function printVerify(report: DataVerifyReport): void {
  process.stdout.write(
    `Checked ${report.checked} blob${report.checked === 1 ? '' : 's'} (${formatBytes(report.bytes)}) and ${report.pointers} pointer${report.pointers === 1 ? '' : 's'}.\n`,
  );
  if (report.ok) {
    process.stdout.write("Every blob is intact and every pointer's bytes are present.\n");
    return;
  }
  if (report.corrupt.length > 0) {
    process.stdout.write(`Corrupt blobs (${report.corrupt.length}):\n`);
    for (const hash of report.corrupt) process.stdout.write(`  ${hash}\n`);
  }
  if (report.problems.length > 0) {
    printTable(
      ['PATH', 'WHAT', 'PROBLEM', 'HASH', 'DETAIL'],
      report.problems.map((p) => [p.path, p.what, p.problem, short(p.hash), p.detail]),
    );
  }
}

function verifyFailure(report: DataVerifyReport): MlopsError {
  const missing = report.problems.filter((p) => p.problem === 'missing').length;
  const invalid = report.problems.filter((p) => p.problem === 'invalid').length;
  const parts = [
    ...(report.corrupt.length > 0 ? [`${report.corrupt.length} corrupt blob(s)`] : []),
    ...(missing > 0 ? [`${missing} missing blob(s) that pointers name`] : []),
    ...(invalid > 0 ? [`${invalid} invalid pointer file(s)`] : []),
  ];
  const corrupt = report.corrupt.length > 0 || report.problems.some((p) => p.problem === 'corrupt');
  const code = corrupt
    ? 'BLOB_CORRUPT'
    : missing > 0
      ? 'BLOB_NOT_FOUND'
      : 'INVALID_PARAMETER_VALUE';
  const advice = [
    ...(corrupt ? ['delete the corrupt blob files from the store'] : []),
    ...(missing > 0 || corrupt
      ? ['re-add the data (`mlops data add`) or pull it from a remote (`mlops data pull`)']
      : []),
    ...(invalid > 0
      ? ['fix or restore the invalid pointer files (`git checkout -- <file>.mlops`)']
      : []),
  ];
  return new MlopsError(
    code,
    `verify found ${parts.join(', ') || 'problems'}. To repair: ${advice.join(', then ') || 'run `mlops data verify --json` for details'}.`,
    { details: { corrupt: report.corrupt.length, missing, invalid } },
  );
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}
