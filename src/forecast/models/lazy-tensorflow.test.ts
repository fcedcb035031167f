import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// Its own test file (own process under vitest's forks pool), so nothing else has loaded tfjs.
describe('the models module', () => {
  it('loads TensorFlow.js only when a model needs it', async () => {
    const cache = createRequire(import.meta.url).cache;
    const tfjsLoaded = () => Object.keys(cache).some((k) => k.includes('@tensorflow'));
    const models = await import('./index.js');
    models.createForecaster('lstm');
    expect(tfjsLoaded()).toBe(false);
    const { backend, tf } = await models.loadTensorflow();
    expect(tfjsLoaded()).toBe(true);
    expect(backend).toBe('wasm'); // @tensorflow/tfjs-node cannot be installed here
    expect(tf.getBackend()).toBe(backend);
    expect(await models.loadTensorflow()).toMatchObject({ backend }); // loaded once
  });
});
