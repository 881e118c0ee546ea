// Builds one-operator CONV_2D models with the flatbuffers Builder, for cases no shared model covers
// (dilation, odd strides, bad options, buffers stored outside the flatbuffer).
import { Builder } from 'flatbuffers';
import { Model } from '../../../harness/model/tflite-schema/generated/tflite/model';
import { SubGraph } from '../../../harness/model/tflite-schema/generated/tflite/sub-graph';
import { Tensor } from '../../../harness/model/tflite-schema/generated/tflite/tensor';
import { TensorType } from '../../../harness/model/tflite-schema/generated/tflite/tensor-type';
import { Operator } from '../../../harness/model/tflite-schema/generated/tflite/operator';
import { OperatorCode } from '../../../harness/model/tflite-schema/generated/tflite/operator-code';
import { Buffer as FbBuffer } from '../../../harness/model/tflite-schema/generated/tflite/buffer';
import { BuiltinOptions } from '../../../harness/model/tflite-schema/generated/tflite/builtin-options';
import { Conv2DOptions } from '../../../harness/model/tflite-schema/generated/tflite/conv2doptions';

export interface TinyConv {
  input: number[]; filter: number[]; output: number[];
  padding: 'SAME' | 'VALID'; stride: [number, number]; dilation?: [number, number];
  /** ActivationFunctionType code; 4 is TANH. */
  activation?: number;
  withoutOptions?: boolean;
  /** Store the filter after the flatbuffer (buffer.offset/size) instead of inline; `sizeDelta` corrupts the size. */
  externalFilter?: { sizeDelta?: number };
}

const CONV_2D = 3;

function build(spec: TinyConv, filterBytes: Uint8Array, externalOffset: bigint): Uint8Array {
  const b = new Builder(1024);
  const tensor = (name: string, shape: number[], buffer: number) => {
    const n = b.createString(name);
    const s = Tensor.createShapeVector(b, shape);
    Tensor.startTensor(b);
    Tensor.addShape(b, s);
    Tensor.addType(b, TensorType.FLOAT32);
    Tensor.addBuffer(b, buffer);
    Tensor.addName(b, n);
    return Tensor.endTensor(b);
  };
  const tensors = [tensor('input', spec.input, 0), tensor('filter', spec.filter, 1), tensor('output', spec.output, 0)];
  let options = 0;
  if (!spec.withoutOptions) {
    options = Conv2DOptions.createConv2DOptions(b, spec.padding === 'SAME' ? 0 : 1, spec.stride[1], spec.stride[0],
      spec.activation ?? 0, spec.dilation?.[1] ?? 1, spec.dilation?.[0] ?? 1, TensorType.FLOAT32);
  }
  const inputs = Operator.createInputsVector(b, [0, 1, -1]);
  const outputs = Operator.createOutputsVector(b, [2]);
  Operator.startOperator(b);
  Operator.addOpcodeIndex(b, 0);
  Operator.addInputs(b, inputs);
  Operator.addOutputs(b, outputs);
  if (!spec.withoutOptions) {
    Operator.addBuiltinOptionsType(b, BuiltinOptions.Conv2DOptions);
    Operator.addBuiltinOptions(b, options);
  }
  const op = Operator.endOperator(b);
  const graph = SubGraph.createSubGraph(b, SubGraph.createTensorsVector(b, tensors), SubGraph.createInputsVector(b, [0]),
    SubGraph.createOutputsVector(b, [2]), SubGraph.createOperatorsVector(b, [op]), b.createString('main'), 0);
  const empty = FbBuffer.createBuffer(b, 0, 0n, 0n);
  const filterBuffer = spec.externalFilter
    ? FbBuffer.createBuffer(b, 0, externalOffset, BigInt(filterBytes.length + (spec.externalFilter.sizeDelta ?? 0)))
    : FbBuffer.createBuffer(b, FbBuffer.createDataVector(b, filterBytes), 0n, 0n);
  const code = OperatorCode.createOperatorCode(b, CONV_2D, 0, 1, CONV_2D);
  const model = Model.createModel(b, 3, Model.createOperatorCodesVector(b, [code]), Model.createSubgraphsVector(b, [graph]), 0,
    Model.createBuffersVector(b, [empty, filterBuffer]), 0, 0, 0, 0, 0);
  Model.finishModelBuffer(b, model);
  return b.asUint8Array().slice();
}

/** The model bytes and the filter bytes it carries (0, 1, 2, ... so they are recognisable). */
export function tinyConvModel(spec: TinyConv): { bytes: Uint8Array; filter: Uint8Array } {
  const filter = Uint8Array.from({ length: spec.filter.reduce((a, c) => a * c, 1) * 4 }, (_, i) => i & 0xff);
  if (!spec.externalFilter) return { bytes: build(spec, filter, 0n), filter };
  // The offset field has a fixed size, so a first build with a stand-in offset gives the final length.
  const flatbufferLength = build(spec, filter, 2n).length;
  const offset = Math.ceil(flatbufferLength / 16) * 16;
  const head = build(spec, filter, BigInt(offset));
  const bytes = new Uint8Array(offset + filter.length);
  bytes.set(head);
  bytes.set(filter, offset);
  return { bytes, filter };
}
