// `npm run study -- <lstm|linear|test-table> [--data <csv>]`: the model-selection study (validation
// rows only) and the 5-seed test table. See docs/model-selection.md and docs/evaluation.md.
import { runLinearSelection } from './linear-selection.js';
import { runLstmSelection } from './lstm-selection.js';
import { runTestTable } from './test-table.js';

const DEFAULT_DATA = '../shared/data/goog-2018-2023.csv';
const COMMANDS: Record<string, (dataPath: string) => Promise<void>> = {
  lstm: runLstmSelection,
  linear: runLinearSelection,
  'test-table': runTestTable,
};

const [name, ...rest] = process.argv.slice(2);
const dataFlag = rest.indexOf('--data');
const dataPath = dataFlag >= 0 ? rest[dataFlag + 1] : DEFAULT_DATA;
const command = name === undefined ? undefined : COMMANDS[name];
if (!command || dataPath === undefined) {
  console.error(`usage: npm run study -- <${Object.keys(COMMANDS).join('|')}> [--data <csv>]`);
  process.exit(2);
}
await command(dataPath);
