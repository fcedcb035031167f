import { parse } from 'yaml';
import { z } from 'zod';
import { invalidParam } from '../../core/index.js';
import { TENSOR_DTYPES, type ModelSignature } from '../../registry/index.js';

/**
 * The files a user may put beside an external `model.onnx` to declare its signature:
 * `signature.json` (`{inputs, outputs, window?}`) or an MLflow-style `MLmodel` whose `signature`
 * has the same lists (or MLflow's own JSON-string tensor specs).
 */
export const SIGNATURE_FILES = ['signature.json', 'MLmodel'] as const;

const tensor = z.strictObject({
  name: z.string().min(1),
  dtype: z.enum(TENSOR_DTYPES),
  shape: z.array(z.number().int().min(-1)),
});
const declared = z.strictObject({
  inputs: z.array(tensor).min(1),
  outputs: z.array(tensor).min(1),
  window: z.number().int().min(1).optional(),
});

/** MLflow writes `inputs: '[{"type": "tensor", "tensor-spec": {...}, "name": ...}]'`. */
function fromMlflowSpecs(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    const specs = JSON.parse(value) as {
      name?: string;
      'tensor-spec'?: { dtype?: string; shape?: number[] };
    }[];
    return specs.map((s) => ({
      name: s.name,
      dtype: s['tensor-spec']?.dtype,
      shape: s['tensor-spec']?.shape,
    }));
  } catch {
    return value;
  }
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  const key = (issue?.path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`));
  const at = key.join('').replace(/^\./, '') || '(top level)';
  const last = issue?.path.at(-1);
  const expected =
    last === 'dtype'
      ? `one of ${TENSOR_DTYPES.join(', ')}`
      : last === 'shape'
        ? 'a list of integers, -1 for a dynamic dimension'
        : last === 'window'
          ? 'a positive integer'
          : last === 'inputs' || last === 'outputs'
            ? 'a non-empty list of {name, dtype, shape}'
            : (issue?.message ?? 'valid');
  return `key '${at}' must be ${expected}`;
}

/**
 * Parses a user's signature file (`file` names it in errors). `window` defaults to the first
 * input's shape[1]; the result is still checked against the ONNX graph by the caller.
 */
export function parseSignatureFile(text: string, file: string): ModelSignature {
  let value: unknown;
  try {
    value = file.endsWith('.json') ? JSON.parse(text) : parse(text);
  } catch (cause) {
    throw invalidParam(
      `${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${String((cause as Error).message).split('\n')[0]}.`,
      {
        file,
      },
    );
  }
  if (!file.endsWith('.json')) {
    const sig = (value as { signature?: unknown } | null)?.signature;
    if (typeof sig !== 'object' || sig === null) {
      throw invalidParam(`${file} has no 'signature' mapping with inputs and outputs.`, { file });
    }
    const s = sig as Record<string, unknown>;
    // MLflow's signature has more keys (params); only these three are ours.
    value = {
      inputs: fromMlflowSpecs(s['inputs']),
      outputs: fromMlflowSpecs(s['outputs']),
      ...(s['window'] === undefined ? {} : { window: s['window'] }),
    };
  }
  const parsed = declared.safeParse(value);
  if (!parsed.success) {
    throw invalidParam(`Invalid signature in ${file}: ${describe(parsed.error)}.`, { file });
  }
  const { inputs, outputs } = parsed.data;
  const window = parsed.data.window ?? inputs[0]?.shape[1];
  if (window === undefined || window < 1) {
    throw invalidParam(
      `Invalid signature in ${file}: the first input needs a shape [batch, window] with a fixed window, or give 'window'.`,
      { file },
    );
  }
  return { inputs, outputs, window };
}
