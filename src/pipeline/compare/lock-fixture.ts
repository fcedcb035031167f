import { stringify } from 'yaml';

/** A stage entry for `lockText`: only what comparing reads. */
export interface FixtureStage {
  readonly params?: Record<string, Record<string, unknown>>;
  readonly outs?: readonly { path: string; kind?: 'metric' | 'plot'; manifest?: string }[];
}

/** `mlops.lock` text with the given stages (hashes are placeholders). */
export function lockText(stages: Record<string, FixtureStage>): string {
  const sha = 'a'.repeat(64);
  const entries = Object.entries(stages).map(([name, s]) => [
    name,
    {
      cmd: ['true'],
      deps: [],
      params: s.params ?? {},
      outs: (s.outs ?? []).map((o) => ({ sha256: sha, size: 1, ...o })),
    },
  ]);
  return stringify({ schema: '1', stages: Object.fromEntries(entries) });
}
