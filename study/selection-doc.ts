/** The parts of docs/model-selection.md that both selection commands write. */
import path from 'node:path';
import { partRange } from '../src/forecast/index.js';
import { table, writeGeneratedBlock } from './markdown.js';
import { selectionSplit, type SelectionData } from './selection-series.js';

export const SELECTION_DOC = 'docs/model-selection.md';
const TITLE = 'Model selection';

export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') || !path.isAbsolute(file) ? rel : file;
}

/** The data section: the file, the rows the study saw, and the split per window. */
export function dataSection(data: SelectionData, windows: readonly number[]): string {
  const last = data.testStart - 1;
  const rows = [...new Set(windows)]
    .sort((a, b) => a - b)
    .map((w) => {
      const split = selectionSplit(data.testStart, w);
      const [tf, tt] = partRange(split, 'train', w);
      const [vf, vt] = partRange(split, 'validation', w);
      return [
        String(w),
        `${tf}..${tt - 1} (${data.dates[tf]} .. ${data.dates[tt - 1]}), ${tt - tf}`,
        `${vf}..${vt - 1} (${data.dates[vf]} .. ${data.dates[vt - 1]}), ${vt - vf}`,
      ];
    });
  return [
    '## Data and split',
    '',
    `- File: \`${displayPath(data.source)}\` (sha256 \`${data.sha256.slice(0, 16)}…\`), ${data.fileRows} rows.`,
    `- The protocol's test rows start at floor(0.8 × ${data.fileRows}) = ${data.testStart}. The study sees rows 0..${last} only (${data.dates[0]} .. ${data.dates[last]}); rows ${data.testStart}..${data.fileRows - 1} (${data.fileRows - data.testStart} rows) are the test rows: \`selectionSeries\` drops them right after the file is parsed, so no fit or score ever receives them (the study does not even keep their dates).`,
    '- Each candidate is fitted with the protocol split restricted to the visible rows: `{ rows: testStart, testStart, validationStart }`, where validationStart = testStart − floor(0.1 × (testStart − window)) as `protocolSplit` computes it on the full series. Its test part is empty. Scalers are fitted on the training rows, LSTM early stopping uses the validation loss, and every candidate is scored on its validation targets (the last 10% of its training windows), which depend slightly on the window:',
    '',
    table(
      ['window', 'training targets (rows, dates), n', 'validation targets (rows, dates), n'],
      rows,
    ),
    '',
    'Validation skill = 1 − RMSE / RMSE(persistence) on the same validation targets, in price units.',
  ].join('\n');
}

export async function writeSelectionDoc(
  data: SelectionData,
  windows: readonly number[],
  name: string,
  content: string,
): Promise<void> {
  await writeGeneratedBlock(SELECTION_DOC, TITLE, 'selection-data', dataSection(data, windows));
  await writeGeneratedBlock(SELECTION_DOC, TITLE, name, content);
}
