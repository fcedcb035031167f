import { describe, expect, it } from 'vitest';
import { modelVersionToWire, registeredModelToWire } from '../api/index.js';
import { MlopsError } from '../core/index.js';
import type { ModelVersion, RegisteredModel } from '../registry/index.js';
import { modelVersionFromWire, registeredModelFromWire } from './http-registry-store-wire.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return MlopsError.is(err) ? err.code : 'not an MlopsError';
  }
  return undefined;
}

const version: ModelVersion = {
  name: 'goog',
  version: '3',
  creationTimestamp: 1,
  lastUpdatedTimestamp: 2,
  description: '',
  source: 'runs:/abc/model',
  runId: 'abc',
  status: 'READY',
  tags: { k: 'v' },
  aliases: ['champion', 'challenger'].sort(),
  packageHash: 'sha256:00',
  archived: true,
  currentStage: 'Archived',
};

describe('registry wire <-> entities', () => {
  it('round-trips a version and a model through what the server writes', () => {
    expect(modelVersionFromWire(modelVersionToWire(version))).toEqual(version);
    const model: RegisteredModel = {
      name: 'goog',
      creationTimestamp: 1,
      lastUpdatedTimestamp: 1,
      tags: {},
      aliases: [{ alias: 'champion', version: '3' }],
      latestVersions: [{ ...version, archived: false, currentStage: 'None' }],
    };
    expect(registeredModelFromWire(registeredModelToWire(model))).toEqual(model);
  });

  it("reads other servers' forms: int64 as strings, numbered versions and statuses, no lists", () => {
    const v = modelVersionFromWire({
      name: 'm',
      version: 2,
      creation_timestamp: '1700000000000',
      current_stage: 'Production',
      source: 's3://b/m',
      status: 3,
    });
    expect(v).toEqual({
      name: 'm',
      version: '2',
      creationTimestamp: 1_700_000_000_000,
      lastUpdatedTimestamp: 1_700_000_000_000,
      source: 's3://b/m',
      status: 'READY',
      tags: {},
      aliases: [],
      archived: false,
      currentStage: 'None',
    });
    const m = registeredModelFromWire({ name: 'm', aliases: [{ alias: 'b', version: 1 }] });
    expect(m).toMatchObject({ aliases: [{ alias: 'b', version: '1' }], tags: {} });
    expect(m.latestVersions).toBeUndefined();
  });

  it('calls a malformed answer an INTERNAL_ERROR naming the field', () => {
    expect(codeOf(() => modelVersionFromWire(undefined))).toBe('INTERNAL_ERROR');
    expect(codeOf(() => modelVersionFromWire({ name: 'm' }))).toBe('INTERNAL_ERROR');
    expect(codeOf(() => modelVersionFromWire({ name: 'm', version: '1', status: 'DONE' }))).toBe(
      'INTERNAL_ERROR',
    );
    expect(codeOf(() => registeredModelFromWire({ name: '' }))).toBe('INTERNAL_ERROR');
    expect(() =>
      modelVersionFromWire({ name: 'm', version: '1', creation_timestamp: 'soon' }),
    ).toThrow(/creation_timestamp/);
  });
});
