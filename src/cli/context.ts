import type { Command } from 'commander';
import type { TrackingClient, ViewType } from '../tracking/index.js';

export interface GlobalOptions {
  readonly trackingUri?: string;
  readonly autoUpgrade?: boolean;
}

/** Opens the client named by the global options, runs `fn`, and always closes it. */
export async function withClient<T>(
  command: Command,
  fn: (client: TrackingClient) => Promise<T>,
): Promise<T> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const { connect } = await import('../app/index.js');
  const client = await connect(globals.trackingUri, { autoUpgrade: globals.autoUpgrade ?? false });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** Collects a repeatable option into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const VIEWS: Readonly<Record<string, ViewType>> = {
  active: 'ACTIVE_ONLY',
  deleted: 'DELETED_ONLY',
  all: 'ALL',
};

/** `--view active|deleted|all` as the store's view type; a usage error otherwise. */
export function parseView(command: Command, word: string): ViewType {
  const view = VIEWS[word];
  if (!view) command.error(`--view must be one of active, deleted, all (got '${word}')`);
  return view;
}

/** Resolves after SIGINT or SIGTERM has closed `server` (a long-running command's last step). */
export function closeOnSignal(server: { close(): Promise<void> }): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
