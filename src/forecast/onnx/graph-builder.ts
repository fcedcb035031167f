import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';

// onnx-proto is CommonJS whose namespace Node cannot see as a named export.
const { onnx } = onnxProto;

/** IR 8 is the newest onnx-proto@8 knows; onnxruntime-node 1.30 accepts it with opset 17. */
export const IR_VERSION = 8;
export const OPSET_VERSION = 17;

export const FLOAT = onnx.TensorProto.DataType.FLOAT;
export const DOUBLE = onnx.TensorProto.DataType.DOUBLE;
const INT64 = onnx.TensorProto.DataType.INT64;

/** Attribute values the graphs need: ints, int lists and strings. */
export type AttributeValue = number | readonly number[] | string | readonly string[];

/** A graph input or output: element type and dims (a string names a dynamic dim). */
export interface GraphValue {
  readonly name: string;
  readonly elemType: number;
  readonly dims: readonly (number | string)[];
}

function attribute(name: string, value: AttributeValue): OnnxTypes.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'number') return { name, type: T.INT, i: value };
  if (typeof value === 'string')
    return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (value.every((v) => typeof v === 'number')) return { name, type: T.INTS, ints: [...value] };
  const strings = value.map((v) => new TextEncoder().encode(String(v)));
  return { name, type: T.STRINGS, strings };
}

function valueInfo(v: GraphValue): OnnxTypes.IValueInfoProto {
  const dim = (d: number | string) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d });
  return {
    name: v.name,
    type: { tensorType: { elemType: v.elemType, shape: { dim: v.dims.map(dim) } } },
  };
}

/** Raw little-endian bytes of a typed array (ONNX's raw_data layout on x86/arm). */
function bytesOf(a: Float32Array | Float64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
}

/**
 * Accumulates nodes and initializers under generated unique names, so each export reads as a
 * short chain of ops; `encode` wraps them in a serialised ModelProto.
 */
export class GraphBuilder {
  private readonly nodes: OnnxTypes.INodeProto[] = [];
  private readonly initializers: OnnxTypes.ITensorProto[] = [];
  private count = 0;

  private fresh(prefix: string): string {
    this.count += 1;
    return `${prefix}_${this.count}`;
  }

  /** Adds a node and returns the names of its `outputs` outputs. */
  ops(
    opType: string,
    inputs: readonly string[],
    attrs: Readonly<Record<string, AttributeValue>> = {},
    outputs = 1,
  ): string[] {
    const names = Array.from({ length: outputs }, () => this.fresh(opType.toLowerCase()));
    this.nodes.push({
      opType,
      name: this.fresh(`node_${opType}`),
      input: [...inputs],
      output: names,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return names;
  }

  /** Adds a single-output node and returns its output name. */
  op(opType: string, inputs: readonly string[], attrs?: Readonly<Record<string, AttributeValue>>) {
    return this.ops(opType, inputs, attrs)[0] ?? '';
  }

  /** A float32 constant. */
  float(values: Float32Array | readonly number[], dims: readonly number[]): string {
    return this.tensor(FLOAT, dims, { rawData: bytesOf(Float32Array.from(values)) });
  }

  /** A float64 constant. */
  double(values: Float64Array | readonly number[], dims: readonly number[]): string {
    return this.tensor(DOUBLE, dims, { rawData: bytesOf(Float64Array.from(values)) });
  }

  /** A 1-D int64 constant (shapes, axes, slice bounds). */
  int64(values: readonly number[]): string {
    return this.tensor(INT64, [values.length], { int64Data: [...values] });
  }

  private tensor(
    dataType: number,
    dims: readonly number[],
    data: Pick<OnnxTypes.ITensorProto, 'rawData' | 'int64Data'>,
  ): string {
    const name = this.fresh('const');
    this.initializers.push({ name, dataType, dims: [...dims], ...data });
    return name;
  }

  /** Renames the value `from` to the graph output `to` (an Identity node). */
  output(from: string, to: string): void {
    this.nodes.push({
      opType: 'Identity',
      name: this.fresh('node_output'),
      input: [from],
      output: [to],
    });
  }

  /** The serialised model with one input and one output. */
  encode(name: string, input: GraphValue, output: GraphValue): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET_VERSION }],
      producerName: 'mlops',
      graph: {
        name,
        node: this.nodes,
        initializer: this.initializers,
        input: [valueInfo(input)],
        output: [valueInfo(output)],
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
