import { randomUUID } from 'node:crypto';

/** A new 32-hex run id, the form MLflow servers issue. */
export function newRunId(): string {
  return randomUUID().replaceAll('-', '');
}
