/** `npm run study -- linear`: the selection study for the ridge defaults (validation rows only). */
import { linearCandidates, lstmCandidates, type Candidate } from './candidates.js';
import { chooseCandidate, NEAR_TIE } from './choose.js';
import { num, table } from './markdown.js';
import { scoreCandidate, type ValidationScore } from './score-candidate.js';
import { writeSelectionDoc } from './selection-doc.js';
import { loadSelectionData } from './selection-series.js';

export interface LinearResult {
  readonly candidate: Candidate;
  readonly score: ValidationScore;
  readonly skill: number;
}

export async function scoreLinearCandidates(
  visible: Float64Array,
  candidates: readonly Candidate[],
  log: (line: string) => void = () => {},
): Promise<LinearResult[]> {
  const results: LinearResult[] = [];
  for (const [k, candidate] of candidates.entries()) {
    const score = await scoreCandidate(visible, candidate);
    log(
      `[${k + 1}/${candidates.length}] ${candidate.name}: val RMSE ${num(score.rmse)} (persistence ${num(score.persistenceRmse)}), skill ${num(score.skill, 5, true)}`,
    );
    results.push({ candidate, score, skill: score.skill });
  }
  return results;
}

function resultTable(results: readonly LinearResult[]): string {
  return table(
    ['window', 'alpha', 'val RMSE', 'persistence RMSE', 'skill', 'change std ratio'],
    results.map(({ candidate, score }) => [
      String(candidate.params.window),
      String(candidate.params['alpha']),
      num(score.rmse),
      num(score.persistenceRmse),
      num(score.skill, 5, true),
      num(score.changeStdRatio, 3),
    ]),
  );
}

export async function runLinearSelection(dataPath: string): Promise<void> {
  const started = performance.now();
  const data = await loadSelectionData(dataPath);
  console.log(
    `linear selection: ${data.closes.length} visible rows of ${data.fileRows} (test rows from ${data.testStart} never loaded into the study)`,
  );
  const results = await scoreLinearCandidates(data.closes, linearCandidates(), (l) =>
    console.log(l),
  );
  const seconds = (performance.now() - started) / 1000;
  const { chosen, best } = chooseCandidate(results);
  const text = [
    '## Linear (ridge) candidates',
    '',
    `Ridge on the standardised log returns of the window (target log_return, closed form, deterministic: one fit per candidate). Total time ${num(seconds, 1)} s.`,
    '',
    resultTable(results),
    '',
    `**Chosen: ${chosen.candidate.name}** (validation skill ${num(chosen.skill, 5, true)}, RMSE ${num(chosen.score.rmse)}). Rule: the highest validation skill is ${num(best.skill, 5, true)} (${best.candidate.name}); among the candidates within ${NEAR_TIE} of it, the one with the shortest window (then the largest alpha) is chosen.`,
  ].join('\n');
  const windows = [...lstmCandidates(), ...linearCandidates()].map((c) => c.params.window);
  await writeSelectionDoc(data, windows, 'linear', text);
  console.log(`\n${resultTable(results)}\n`);
  console.log(`chosen: ${chosen.candidate.name} ${JSON.stringify(chosen.candidate.params)}`);
  console.log(`wrote docs/model-selection.md (${num(seconds, 1)} s)`);
}
