import type { Command } from 'commander';
import type { TrackingClient } from '../tracking/index.js';

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
