import { Command } from 'commander';
import { printJson } from '../output.js';

export function plotsCommand(): Command {
  const cmd = new Command('plots')
    .description('Compare the plots pipeline stages write, across git revisions')
    .addHelpText(
      'after',
      '\nExamples:\n  mlops plots diff\n  mlops plots diff HEAD~2 HEAD workspace -o compare.html',
    );

  cmd
    .command('diff [revs...]')
    .description(
      'Write one HTML page overlaying every plot of mlops.lock at each revision (default: HEAD and the workspace); CSV/TSV/JSON/YAML data as line charts, images side by side',
    )
    .option('-o, --out <path>', 'the HTML page to write', 'plots.html')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nThe page is self-contained (inline SVG, no scripts, nothing fetched): open it in any browser.\n\nExamples:\n  mlops plots diff\n  mlops plots diff HEAD~1 HEAD workspace -o plots/compare.html\n  mlops plots diff main --json',
    )
    .action(async (revs: string[], opts: { out: string; json?: boolean }) => {
      const { plotsDiffJob } = await import('../../app/index.js');
      const result = await plotsDiffJob({ revs, out: opts.out });
      if (opts.json) return printJson(result);
      const n = result.plots.length;
      process.stdout.write(
        `Wrote ${result.out}: ${n} plot${n === 1 ? '' : 's'} at ${result.revisions.map((r) => r.rev).join(', ')}\n`,
      );
      for (const plot of result.plots) {
        if (plot.missing.length > 0) {
          process.stdout.write(`${plot.path}: missing at ${plot.missing.join(', ')}\n`);
        }
        for (const p of plot.problems) process.stdout.write(`${p.message}\n`);
      }
    });
  return cmd;
}
