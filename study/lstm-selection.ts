/**
 * `npm run study -- lstm`: the selection study for the LSTM defaults, on the validation rows only
 * (see selection-series.ts). Each candidate is trained with LSTM_SEEDS and scored by the median
 * validation skill; the result goes to docs/model-selection.md and stdout.
 */
import { linearCandidates, lstmCandidates, LSTM_SEEDS, type Candidate } from './candidates.js';
import { chooseCandidate, NEAR_TIE } from './choose.js';
import { median, num, table } from './markdown.js';
import { scoreCandidate, type ValidationScore } from './score-candidate.js';
import { writeSelectionDoc } from './selection-doc.js';
import { loadSelectionData, type SelectionData } from './selection-series.js';

export interface LstmResult {
  readonly candidate: Candidate;
  readonly perSeed: readonly ValidationScore[];
  readonly skill: number;
  readonly rmse: number;
  readonly seconds: number;
}

/** Trains every candidate with every seed on the visible closes; logs progress lines. */
export async function scoreLstmCandidates(
  visible: Float64Array,
  candidates: readonly Candidate[],
  seeds: readonly number[],
  log: (line: string) => void = () => {},
): Promise<LstmResult[]> {
  const results: LstmResult[] = [];
  const total = candidates.length * seeds.length;
  let done = 0;
  for (const candidate of candidates) {
    const started = performance.now();
    const perSeed: ValidationScore[] = [];
    for (const seed of seeds) {
      done++;
      const fitStart = performance.now();
      let epochStart = fitStart;
      log(`[${done}/${total}] ${candidate.name} seed ${seed}`);
      const score = await scoreCandidate(visible, candidate, {
        seed,
        onEpoch: (epoch, loss, valLoss) => {
          const s = (performance.now() - epochStart) / 1000;
          epochStart = performance.now();
          log(
            `    epoch ${epoch}: loss ${num(loss, 5)} val_loss ${num(valLoss, 5)} (${num(s, 1)} s)`,
          );
        },
      });
      perSeed.push(score);
      log(
        `    -> val RMSE ${num(score.rmse)} (persistence ${num(score.persistenceRmse)}), skill ${num(score.skill, 5, true)}, best epoch ${score.bestEpoch}/${score.epochsTrained}, ${num((performance.now() - fitStart) / 1000, 1)} s`,
      );
    }
    results.push({
      candidate,
      perSeed,
      skill: median(perSeed.map((s) => s.skill)),
      rmse: median(perSeed.map((s) => s.rmse)),
      seconds: (performance.now() - started) / 1000,
    });
  }
  return results;
}

function resultTable(results: readonly LstmResult[], seeds: readonly number[]): string {
  const header = [
    'candidate',
    'target',
    'window',
    'units',
    'layers',
    'val RMSE (median)',
    'persistence RMSE',
    'skill (median)',
    ...seeds.map((s) => `skill seed ${s}`),
    'change std ratio (median)',
    'epochs best/trained per seed',
    'seconds',
  ];
  const rows = results.map((r) => {
    const p = r.candidate.params;
    return [
      r.candidate.reference ? `${r.candidate.name} (reference)` : r.candidate.name,
      String(p['target']),
      String(p.window),
      String(p['units']),
      String(p['layers']),
      num(r.rmse),
      num(r.perSeed[0]?.persistenceRmse),
      num(r.skill, 5, true),
      ...r.perSeed.map((s) => num(s.skill, 5, true)),
      num(median(r.perSeed.map((s) => s.changeStdRatio)), 3),
      r.perSeed.map((s) => `${s.bestEpoch}/${s.epochsTrained}`).join(', '),
      num(r.seconds, 0),
    ];
  });
  return table(header, rows);
}

export function lstmSection(
  results: readonly LstmResult[],
  seeds: readonly number[],
  seconds: number,
): { text: string; chosen: LstmResult } {
  const { chosen, best } = chooseCandidate(results);
  const shared = results.find((r) => !r.candidate.reference)?.candidate.params;
  const text = [
    '## LSTM candidates',
    '',
    `Seeds ${seeds.join(', ')} per candidate; the score is the median over seeds. The log-return candidates share dropout ${shared?.['dropout']}, learning rate ${shared?.['learningRate']}, batch ${shared?.['batchSize']}, up to ${shared?.['epochs']} epochs with early stopping (patience ${shared?.['patience']}, the best epoch's weights kept). The classic recipe (scaled closes in, close out) is a reference and is not eligible. Total time ${num(seconds, 0)} s on the tfjs backend of this machine.`,
    '',
    resultTable(results, seeds),
    '',
    `**Chosen: ${chosen.candidate.name}** (median validation skill ${num(chosen.skill, 5, true)}, RMSE ${num(chosen.rmse)}). Rule: the highest median validation skill among the eligible candidates is ${num(best.skill, 5, true)} (${best.candidate.name}); among the candidates within ${NEAR_TIE} of it, the one with the fewest weights (then the shortest window) is chosen.`,
  ].join('\n');
  return { text, chosen };
}

const WINDOWS = () => [...lstmCandidates(), ...linearCandidates()].map((c) => c.params.window);

export async function runLstmSelection(dataPath: string): Promise<void> {
  const started = performance.now();
  const data: SelectionData = await loadSelectionData(dataPath);
  console.log(
    `lstm selection: ${data.closes.length} visible rows of ${data.fileRows} (test rows from ${data.testStart} never loaded into the study)`,
  );
  const candidates = lstmCandidates();
  const results = await scoreLstmCandidates(data.closes, candidates, LSTM_SEEDS, (l) =>
    console.log(l),
  );
  const seconds = (performance.now() - started) / 1000;
  const { text, chosen } = lstmSection(results, LSTM_SEEDS, seconds);
  await writeSelectionDoc(data, WINDOWS(), 'lstm', text);
  console.log(`\n${resultTable(results, LSTM_SEEDS)}\n`);
  console.log(`chosen: ${chosen.candidate.name} ${JSON.stringify(chosen.candidate.params)}`);
  console.log(`wrote docs/model-selection.md (${num(seconds, 0)} s)`);
}
