import type {
  ArtifactRecord,
  Experiment,
  Page,
  Run,
  TrackingClient,
  ViewType,
} from '../tracking/index.js';

/** Every experiment (all pages) in a view, optionally filtered: `mlops experiments list`. */
export async function listExperiments(
  client: TrackingClient,
  options: { viewType?: ViewType; filter?: string } = {},
): Promise<Experiment[]> {
  const items: Experiment[] = [];
  let pageToken: string | undefined;
  do {
    const page = await client.store.searchExperiments({
      ...options,
      ...(pageToken ? { pageToken } : {}),
    });
    items.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return items;
}

export interface RunSearch {
  /** Experiment ids or names; default: every active experiment. */
  readonly experiments?: readonly string[];
  readonly filter?: string;
  readonly orderBy?: readonly string[];
  readonly maxResults?: number;
  readonly pageToken?: string;
  readonly viewType?: ViewType;
}

/** One page of runs across experiments named by id or name: `mlops runs list|search`. */
export async function searchRuns(client: TrackingClient, search: RunSearch): Promise<Page<Run>> {
  const experimentIds =
    search.experiments && search.experiments.length > 0
      ? await Promise.all(
          search.experiments.map(async (ref) => (await client.findExperiment(ref)).experimentId),
        )
      : (await listExperiments(client)).map((e) => e.experimentId);
  const { experiments: _names, ...rest } = search;
  return client.searchRuns({ ...rest, experimentIds });
}

/** A run with its artifact files: `mlops runs show`. */
export async function showRun(
  client: TrackingClient,
  runId: string,
): Promise<{ run: Run; artifacts: readonly ArtifactRecord[] }> {
  const run = await client.getRun(runId);
  return { run, artifacts: await client.store.listArtifactRecords(runId) };
}
