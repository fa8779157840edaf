// A minimal ONNX (protobuf) writer for tests: graphs of standard ops over float tensors, so
// the LPIPS plumbing is tested with a network the test builds itself.
const varint = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const key = (field: number, wire: number): number[] => varint(field * 8 + wire);
const int = (field: number, v: number): number[] => [...key(field, 0), ...varint(v)];
const bytes = (field: number, b: number[] | Uint8Array): number[] => [...key(field, 2), ...varint(b.length), ...b];
const str = (field: number, s: string): number[] => bytes(field, [...Buffer.from(s, 'utf8')]);

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  ints?: Record<string, number[]>;
  int?: Record<string, number>;
}
/** dims: numbers, or strings for symbolic dimensions */
export interface OnnxValue {
  name: string;
  dims: (number | string)[];
}

function valueInfo(v: OnnxValue): number[] {
  const dims = v.dims.flatMap((d) => bytes(1, typeof d === 'number' ? int(1, d) : str(2, d)));
  const tensorType = [...int(1, 1 /* FLOAT */), ...bytes(2, dims)];
  return [...str(1, v.name), ...bytes(2, bytes(1, tensorType))];
}

function node(n: OnnxNode, i: number): number[] {
  const attrs = [
    ...Object.entries(n.ints ?? {}).map(([name, vs]) =>
      bytes(5, [...str(1, name), ...int(20, 7 /* INTS */), ...vs.flatMap((v) => int(8, v))]),
    ),
    ...Object.entries(n.int ?? {}).map(([name, v]) =>
      bytes(5, [...str(1, name), ...int(20, 2 /* INT */), ...int(3, v)]),
    ),
  ].flat();
  return [
    ...n.inputs.flatMap((s) => str(1, s)),
    ...n.outputs.flatMap((s) => str(2, s)),
    ...str(3, `n${i}`),
    ...str(4, n.op),
    ...attrs,
  ];
}

/** A ModelProto (IR 7, opset 13) of one graph. */
export function onnxModel(nodes: OnnxNode[], inputs: OnnxValue[], outputs: OnnxValue[]): Uint8Array {
  const graph = [
    ...nodes.flatMap((n, i) => bytes(1, node(n, i))),
    ...str(2, 'g'),
    ...inputs.flatMap((v) => bytes(11, valueInfo(v))),
    ...outputs.flatMap((v) => bytes(12, valueInfo(v))),
  ];
  return Uint8Array.from([...int(1, 7), ...bytes(8, [...str(1, ''), ...int(2, 13)]), ...bytes(7, graph)]);
}
