import { describe, expect, it } from 'vitest';
import { MlopsError } from '../core/index.js';
import { AliasFollower } from './alias-follower.js';
import { FunctionRunner } from './function-runner.js';
import type { LoadedModel, ModelRef } from './loaded-model.js';
import { ModelSlot } from './model-slot.js';

const ref = (version: string): ModelRef => ({ name: 'm', version, packageHash: `h${version}` });
const loaded = (r: ModelRef): LoadedModel => ({
  ...r,
  window: 2,
  inputName: 'closes',
  outputName: 'next_close',
  fallback: async (w) => Float64Array.from(w, (x) => (x[1] ?? 0) + Number(r.version)),
});

function setup() {
  const state = {
    target: ref('1'),
    loads: [] as string[],
    fail: new Set<string>(),
    resolveFails: false,
  };
  const errors: unknown[] = [];
  const slot = new ModelSlot({
    openRunner: async (m) => new FunctionRunner(m.window, m.fallback!),
  });
  const follower = new AliasFollower(slot, {
    resolve: async () => {
      if (state.resolveFails) throw new MlopsError('DATABASE_UNREACHABLE', 'store down');
      return state.target;
    },
    load: async (r) => {
      state.loads.push(r.version);
      if (state.fail.has(r.version)) throw new MlopsError('BLOB_CORRUPT', 'corrupt');
      return loaded(r);
    },
    pollIntervalMs: 10,
    onError: (e) => errors.push(e),
  });
  return { slot, follower, state, errors };
}

describe('AliasFollower', () => {
  it('loads the target on start and swaps when the alias moves', async () => {
    const { slot, follower, state } = setup();
    expect((await follower.start()).kind).toBe('swapped');
    expect(slot.current?.version).toBe('1');
    expect((await follower.check()).kind).toBe('unchanged');
    state.target = ref('2');
    expect(await follower.check()).toEqual({ kind: 'swapped', model: ref('2') });
    expect(slot.current?.version).toBe('2');
    await follower.stop();
  });

  it('polls on its own', async () => {
    const { slot, follower, state } = setup();
    await follower.start();
    state.target = ref('2');
    while (slot.current?.version !== '2') await new Promise((r) => setTimeout(r, 5));
    await follower.stop();
  });

  it('reports an unreachable store and keeps the current version', async () => {
    const { slot, follower, state, errors } = setup();
    await follower.start();
    state.resolveFails = true;
    expect((await follower.check()).kind).toBe('unresolved');
    expect(errors).toHaveLength(1);
    expect(slot.current?.version).toBe('1');
    await follower.stop();
  });

  it('does not reload a failed version on every check', async () => {
    const { slot, follower, state } = setup();
    await follower.start();
    await follower.stop();
    state.fail.add('2');
    state.target = ref('2');
    expect((await follower.check()).kind).toBe('failed');
    expect((await follower.check()).kind).toBe('skipped');
    expect(state.loads.filter((v) => v === '2')).toHaveLength(1);
    state.fail.clear();
    expect((await follower.check({ retry: true })).kind).toBe('swapped');
    expect(slot.current?.version).toBe('2');
  });

  it('shares a running check and runs once more for a call made meanwhile', async () => {
    const { slot, follower, state } = setup();
    const first = follower.check();
    state.target = ref('2');
    const second = follower.check();
    expect(second).toBe(first);
    await first;
    while (slot.current?.version !== '2') await new Promise((r) => setTimeout(r, 5));
    await follower.stop();
  });
});
