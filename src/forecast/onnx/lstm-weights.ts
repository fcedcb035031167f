import { invalidParam } from '../../core/index.js';

/** One tfjs/Keras LSTM layer's weights (gate blocks i, f, c, o along the 4*units axis). */
export interface LstmLayerWeights {
  readonly units: number;
  /** [inputDim, 4*units], row-major. */
  readonly kernel: Float32Array;
  /** [units, 4*units], row-major. */
  readonly recurrentKernel: Float32Array;
  /** [4*units]. */
  readonly bias: Float32Array;
}

/** ONNX LSTM inputs for one direction: W [1, 4H, in], R [1, 4H, H], B [1, 8H]. */
export interface OnnxLstmWeights {
  readonly W: Float32Array;
  readonly R: Float32Array;
  readonly B: Float32Array;
}

/** For each ONNX gate block (i, o, f, c), the tfjs block (i, f, c, o) that holds it. */
const TFJS_BLOCK_OF_ONNX_BLOCK = [0, 3, 1, 2] as const;

/** Transposes a tfjs [rows, 4H] matrix into ONNX's [4H, rows] with the gate blocks reordered. */
function toOnnxMatrix(m: Float32Array, rows: number, units: number): Float32Array {
  const out = new Float32Array(4 * units * rows);
  TFJS_BLOCK_OF_ONNX_BLOCK.forEach((tfBlock, onnxBlock) => {
    for (let j = 0; j < units; j++) {
      for (let r = 0; r < rows; r++) {
        out[(onnxBlock * units + j) * rows + r] = m[r * 4 * units + tfBlock * units + j] ?? 0;
      }
    }
  });
  return out;
}

/**
 * Converts a tfjs layer to ONNX's layout. tfjs has one bias; ONNX adds Wb and Rb, so the bias
 * goes to Wb and Rb stays zero.
 */
export function toOnnxLstmWeights(layer: LstmLayerWeights, inputDim: number): OnnxLstmWeights {
  const { units, kernel, recurrentKernel, bias } = layer;
  const expect = (what: string, got: number, want: number) => {
    if (got !== want) {
      throw invalidParam(`LSTM ${what} has ${got} values, expected ${want}`, { units, inputDim });
    }
  };
  expect('kernel', kernel.length, inputDim * 4 * units);
  expect('recurrent kernel', recurrentKernel.length, units * 4 * units);
  expect('bias', bias.length, 4 * units);
  const B = new Float32Array(8 * units);
  TFJS_BLOCK_OF_ONNX_BLOCK.forEach((tfBlock, onnxBlock) => {
    B.set(bias.subarray(tfBlock * units, (tfBlock + 1) * units), onnxBlock * units);
  });
  return {
    W: toOnnxMatrix(kernel, inputDim, units),
    R: toOnnxMatrix(recurrentKernel, units, units),
    B,
  };
}
