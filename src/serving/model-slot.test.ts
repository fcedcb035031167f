import { describe, expect, it } from 'vitest';
import { MlopsError } from '../core/index.js';
import { expectCode } from '../testing/index.js';
import type { LoadedModel } from './loaded-model.js';
import type { ModelRunner } from './model-runner.js';
import { ModelSlot, type SlotEvent } from './model-slot.js';

/** A runner that answers `offset + last close` and records its life. */
class RecordingRunner implements ModelRunner {
  readonly engine = 'test';
  disposed = false;
  warm = false;
  constructor(
    readonly window: number,
    private readonly offset: number,
    private readonly failWarmUp = false,
  ) {}
  async predict(windows: Float32Array, n: number): Promise<Float64Array> {
    if (this.disposed) throw new Error('predict after dispose');
    return Float64Array.from(
      { length: n },
      (_, i) => (windows[(i + 1) * this.window - 1] ?? 0) + this.offset,
    );
  }
  async warmUp(): Promise<void> {
    if (this.failWarmUp) throw new MlopsError('INVALID_PARAMETER_VALUE', 'warm-up failed');
    this.warm = true;
  }
  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

const model = (version: string, extra: Partial<LoadedModel> = {}): LoadedModel => ({
  name: 'm',
  version,
  packageHash: `hash-${version}`,
  window: 3,
  inputName: 'closes',
  outputName: 'next_close',
  ...extra,
});

function slotWithRunners() {
  const runners = new Map<string, RecordingRunner>();
  const events: SlotEvent[] = [];
  const slot = new ModelSlot({
    openRunner: async (m) => {
      const runner = new RecordingRunner(m.window, Number(m.version), m.version === 'bad');
      runners.set(m.version, runner);
      return runner;
    },
  });
  slot.subscribe((e) => events.push(e));
  return { slot, runners, events };
}

describe('ModelSlot', () => {
  it('is not ready, and refuses leases, until a version is swapped in', async () => {
    const { slot } = slotWithRunners();
    expect(slot.ready).toBe(false);
    expect(() => slot.acquire()).toThrow(/No model is loaded yet/);
    const result = await slot.swap(model('1'));
    expect(result).toEqual({
      ok: true,
      model: { name: 'm', version: '1', packageHash: 'hash-1' },
      unchanged: false,
    });
    expect(slot.ready).toBe(true);
    expect(slot.current?.version).toBe('1');
  });

  it('warms the next runner up before serving it', async () => {
    const { slot, runners } = slotWithRunners();
    await slot.swap(model('1'));
    expect(runners.get('1')?.warm).toBe(true);
  });

  it('keeps a replaced runner alive until its last lease ends', async () => {
    const { slot, runners } = slotWithRunners();
    await slot.swap(model('1'));
    const lease = slot.acquire();
    await slot.swap(model('2'));
    expect(slot.current?.version).toBe('2');
    expect(runners.get('1')?.disposed).toBe(false);
    // The request that started on version 1 finishes on it.
    expect(Array.from(await lease.model.runner.predict(Float32Array.of(1, 2, 3), 1))).toEqual([4]);
    lease.release();
    lease.release(); // idempotent
    await new Promise((r) => setImmediate(r));
    expect(runners.get('1')?.disposed).toBe(true);
    expect(runners.get('2')?.disposed).toBe(false);
  });

  it('disposes a replaced runner at once when nobody holds it', async () => {
    const { slot, runners, events } = slotWithRunners();
    await slot.swap(model('1'));
    await slot.swap(model('2'));
    await new Promise((r) => setImmediate(r));
    expect(runners.get('1')?.disposed).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['swapped', 'swapped']);
    expect(events[1]).toMatchObject({ from: { version: '1' }, to: { version: '2' } });
  });

  it('keeps serving the current version when the next fails to load or warm up', async () => {
    const { slot, runners, events } = slotWithRunners();
    await slot.swap(model('1'));
    const warm = await slot.swap(model('bad'));
    expect(warm.ok).toBe(false);
    expect(runners.get('bad')?.disposed).toBe(true);
    const load = await slot.swapFrom({ name: 'm', version: '3', packageHash: 'h' }, async () => {
      throw new MlopsError('BLOB_CORRUPT', 'corrupt package');
    });
    expect(load.ok).toBe(false);
    expect(slot.current?.version).toBe('1');
    expect(slot.ready).toBe(true);
    expect(events.filter((e) => e.type === 'swap_failed')).toHaveLength(2);
  });

  it('refuses a loaded model that is not the one asked for', async () => {
    const { slot } = slotWithRunners();
    const result = await slot.swapFrom(
      { name: 'm', version: '1', packageHash: 'other' },
      async () => model('1'),
    );
    expect(result.ok).toBe(false);
    expect(slot.ready).toBe(false);
  });

  it('does nothing when asked to swap to the version it serves', async () => {
    const { slot, runners } = slotWithRunners();
    await slot.swap(model('1'));
    const again = await slot.swap(model('1'));
    expect(again).toMatchObject({ ok: true, unchanged: true });
    expect(runners.get('1')?.disposed).toBe(false);
  });

  it('runs swaps one after another in the order asked', async () => {
    const { slot } = slotWithRunners();
    const results = await Promise.all([
      slot.swap(model('1')),
      slot.swap(model('2')),
      slot.swap(model('3')),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(slot.current?.version).toBe('3');
  });

  it('use() holds a lease for the duration of the call', async () => {
    const { slot, runners } = slotWithRunners();
    await slot.swap(model('1'));
    const value = await slot.use(async (m) => {
      await slot.swap(model('2'));
      expect(runners.get('1')?.disposed).toBe(false);
      return (await m.runner.predict(Float32Array.of(1, 2, 3), 1))[0];
    });
    expect(value).toBe(4);
    await new Promise((r) => setImmediate(r));
    expect(runners.get('1')?.disposed).toBe(true);
  });

  it('close waits for leases, then disposes, and stops serving', async () => {
    const { slot, runners } = slotWithRunners();
    await slot.swap(model('1'));
    const lease = slot.acquire();
    let closed = false;
    const closing = slot.close().then(() => (closed = true));
    await new Promise((r) => setImmediate(r));
    expect(closed).toBe(false);
    expect(slot.ready).toBe(false);
    lease.release();
    await closing;
    expect(runners.get('1')?.disposed).toBe(true);
    await expectCode(
      Promise.resolve().then(() => slot.acquire()),
      'TEMPORARILY_UNAVAILABLE',
    );
  });
});
