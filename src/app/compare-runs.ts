import type { Run, TrackingClient } from '../tracking/index.js';

export interface RunComparison {
  readonly runs: readonly Run[];
  /** One row per param / metric / tag key: the value in each run ('' when absent). */
  readonly rows: readonly {
    kind: 'param' | 'metric' | 'tag';
    key: string;
    values: string[];
    differs: boolean;
  }[];
}

/** Side-by-side params, latest metrics and user tags of several runs, marking what differs. */
export async function compareRuns(
  client: TrackingClient,
  runIds: readonly string[],
): Promise<RunComparison> {
  const runs = await Promise.all(runIds.map((id) => client.getRun(id)));
  const rows: RunComparison['rows'][number][] = [];
  const add = (kind: 'param' | 'metric' | 'tag', pick: (run: Run) => Record<string, string>) => {
    const maps = runs.map(pick);
    const keys = [...new Set(maps.flatMap((m) => Object.keys(m)))].sort();
    for (const key of keys) {
      const values = maps.map((m) => m[key] ?? '');
      rows.push({ kind, key, values, differs: new Set(values).size > 1 });
    }
  };
  add('param', (run) => ({ ...run.data.params }));
  add('metric', (run) => Object.fromEntries(run.data.metrics.map((m) => [m.key, String(m.value)])));
  add('tag', (run) =>
    Object.fromEntries(Object.entries(run.data.tags).filter(([k]) => !k.startsWith('mlflow.'))),
  );
  return { runs, rows };
}
