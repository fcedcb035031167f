import { buildForecastModel } from './forecast-graph.js';

/** Persistence as ONNX: the next close is the window's last close. */
export function exportPersistenceOnnx(windowSize: number): Uint8Array {
  return buildForecastModel('persistence', windowSize, (b, closes) =>
    b.op('Slice', [closes, b.int64([windowSize - 1]), b.int64([windowSize]), b.int64([1])]),
  );
}
