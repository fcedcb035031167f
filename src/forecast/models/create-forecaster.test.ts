import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createForecaster } from './create-forecaster.js';
import { loadForecaster } from './load-forecaster.js';
import { LstmForecaster } from './lstm-forecaster.js';
import { PersistenceForecaster } from './persistence-forecaster.js';
import { RidgeForecaster } from './ridge-forecaster.js';

describe('createForecaster', () => {
  it('builds each kind with defaults and parsed params', () => {
    expect(createForecaster('persistence')).toBeInstanceOf(PersistenceForecaster);
    expect(createForecaster('linear', { alpha: '2' }).params).toMatchObject({ alpha: 2 });
    const lstm = createForecaster('lstm', { window: '20' });
    expect(lstm).toBeInstanceOf(LstmForecaster);
    expect(lstm.windowSize).toBe(20);
  });

  it('applies a preset', () => {
    const quick = createForecaster('lstm', {}, 'quick');
    expect(quick.params.epochs).toBeLessThan(createForecaster('lstm').params.epochs as number);
  });

  it('rejects unknown kinds and bad params', () => {
    expect(() => createForecaster('arima')).toThrow(/Unknown model 'arima'/);
    expect(() => createForecaster('lstm', { layers: '9' })).toThrow(/'layers'.*\[1, 8\]/);
  });
});

describe('loadForecaster', () => {
  it('says what is missing or wrong', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mlops-load-'));
    try {
      await expect(loadForecaster(dir)).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
      await writeFile(path.join(dir, 'forecaster.json'), '{"format":"other"}');
      await expect(loadForecaster(dir)).rejects.toThrow(/not a forecaster manifest/);
      const ridge = { format: 'mlops-forecaster', version: 1, kind: 'linear', windowSize: 3 };
      await writeFile(path.join(dir, 'forecaster.json'), JSON.stringify({ ...ridge, params: {} }));
      await expect(loadForecaster(dir)).rejects.toThrow(/no transform/);
      expect(new RidgeForecaster().state).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
