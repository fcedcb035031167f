import { MlopsError } from '../../core/index.js';
import type { ForecastMetrics } from '../../forecast/index.js';
import type { LoadedModelPackage } from '../../registry/index.js';
import { comparisonWindows, type ComparisonRows } from './comparison-rows.js';

/** Metrics when a model's predictions are not all finite: it cannot win, and the gate says so. */
function unscorable(n: number): Record<string, number> {
  const nan = Number.NaN;
  return { n, rmse: nan, mae: nan, mape: nan, directional_accuracy: nan, skill: nan };
}

/**
 * Scores one package's ONNX graph on the comparison rows: one-step-ahead forecasts from the true
 * history (the protocol of DESIGN.md §7), metrics in price units against persistence on the same
 * rows. onnxruntime-node and the forecasting module load here, on first use.
 */
export async function scorePackage(
  pkg: LoadedModelPackage,
  rows: ComparisonRows,
  label: string,
): Promise<Readonly<Record<string, number>>> {
  const { manifest } = pkg;
  const flavor = manifest.flavors.onnx;
  if (flavor === undefined) {
    throw new MlopsError(
      'INVALID_STATE',
      `${label} has no onnx flavor; the gate scores ONNX graphs (flavors: ${Object.keys(manifest.flavors).join(', ') || 'none'}). Register the model with its model.onnx, or leave it out of the comparison.`,
      { details: { version: label } },
    );
  }
  const f = await import('../../forecast/index.js');
  const onnx = await f.loadForecastOnnx();
  const input = manifest.signature.inputs[0]?.name;
  const output = manifest.signature.outputs[0]?.name;
  if (input !== onnx.INPUT_NAME || output !== onnx.OUTPUT_NAME) {
    throw new MlopsError(
      'INVALID_STATE',
      `${label}'s signature maps '${input}' -> '${output}'; the gate scores forecasting graphs that map '${onnx.INPUT_NAME}' [N, window] -> '${onnx.OUTPUT_NAME}' [N, 1].`,
      { details: { version: label } },
    );
  }
  const { windows, actual, previous } = comparisonWindows(rows, manifest.signature.window);
  const model = await onnx.openOnnxForecaster(await pkg.readFile(flavor.file));
  let predicted: Float64Array;
  try {
    predicted = await model.predict(windows);
  } finally {
    await model.release();
  }
  if (!predicted.every(Number.isFinite)) return unscorable(rows.count);
  const metrics: ForecastMetrics = f.forecastMetrics({ actual, predicted, previous });
  return { ...metrics };
}
