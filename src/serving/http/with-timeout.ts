import { MlopsError } from '../../core/index.js';

/**
 * Settles with `work`, or rejects with a 503 after `ms`. The work itself is not cancelled (an
 * ONNX run cannot be): it finishes in the background, and its lease on the model ends then.
 */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new MlopsError(
            'TEMPORARILY_UNAVAILABLE',
            `The prediction took longer than the server's request timeout of ${ms} ms; retry, send fewer windows, or start the server with a longer timeout.`,
          ),
        ),
      ms,
    );
  });
  work.catch(() => {}); // a late failure after the timeout answered is not unhandled
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
