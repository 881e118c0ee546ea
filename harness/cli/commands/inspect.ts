// `mcubench inspect <model>`: what the importer made of a model — operators with their output shapes and
// the I/O descriptors — as a table or as JSON.
import { Command } from 'commander';
import { Graph, loadModel, Operator, OpOptions } from '../../model';

function shapeText(shape: number[]): string {
  return `[${shape.join(',')}]`;
}

/** The few option fields that matter when reading a model, in a compact form. */
function optionsText(o: OpOptions): string {
  switch (o.kind) {
    case 'conv': case 'depthwise': {
      const p = o.padding;
      const mult = o.kind === 'depthwise' ? ` x${o.depthMultiplier}` : '';
      return `stride ${o.strideH}x${o.strideW} pad ${p.top},${p.bottom},${p.left},${p.right}${mult}${o.dilationH > 1 || o.dilationW > 1 ? ` dil ${o.dilationH}x${o.dilationW}` : ''} ${o.activation}`;
    }
    case 'pool': {
      const p = o.padding;
      return `${o.filterH}x${o.filterW} stride ${o.strideH}x${o.strideW} pad ${p.top},${p.bottom},${p.left},${p.right} ${o.activation}`;
    }
    case 'fullyConnected': case 'elementwise': return o.activation;
    case 'concatenation': return `axis ${o.axis} ${o.activation}`;
    case 'reshape': return `to ${shapeText(o.newShape)}`;
    case 'softmax': return `beta ${o.beta}`;
    case 'leakyRelu': return `alpha ${o.alpha}`;
    case 'reducer': return o.keepDims ? 'keep dims' : '';
    default: return '';
  }
}

function operatorLine(g: Graph, op: Operator): string {
  const outs = op.outputs.map((t) => `#${t} ${g.tensors[t].dtype}${shapeText(g.tensors[t].shape)}`).join(' ');
  const ins = op.inputs.map((t) => (t < 0 ? '-' : `#${t}`)).join(',');
  return `${String(op.index).padStart(4)}  ${op.type.padEnd(24)} ${ins.padEnd(18)} -> ${outs.padEnd(30)} ${optionsText(op.options)}`.trimEnd();
}

function ioLine(kind: string, d: NonNullable<Graph['io']>['inputs'][number], g: Graph): string {
  const q = d.external.scale === undefined ? '' : ` scale ${d.external.scale} zero point ${d.external.zeroPoint}`;
  return `${kind} '${d.name}': tensor #${d.tensor} ${g.tensors[d.tensor].dtype}${shapeText(d.shape)}, caller side ${d.external.dtype}${q}`;
}

export function inspectText(g: Graph): string {
  const lines = [`${g.source}: ${g.operators.length} operators, ${g.tensors.length} tensors`];
  for (const d of g.io?.inputs ?? []) lines.push(ioLine('input ', d, g));
  for (const d of g.io?.outputs ?? []) lines.push(ioLine('output', d, g));
  lines.push('');
  for (const op of g.operators) lines.push(operatorLine(g, op));
  return lines.join('\n') + '\n';
}

/** JSON view: the graph without constant data (which would be megabytes of numbers). */
export function inspectJson(g: Graph): string {
  const tensors = g.tensors.map(({ data, ...t }) => ({ ...t, constantBytes: data?.length ?? 0 }));
  return JSON.stringify({ ...g, tensors }, null, 2) + '\n';
}

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('Show how a .tflite model is imported: operators, output shapes and I/O descriptors')
    .argument('<model>', 'path of a .tflite file')
    .option('--json', 'print the whole graph IR (without constant data) as JSON')
    .option('--raw', 'skip normalisation (show the operators exactly as stored in the file)')
    .action((model: string, opts: { json?: boolean; raw?: boolean }) => {
      const graph = loadModel(model, { normalise: !opts.raw });
      process.stdout.write(opts.json ? inspectJson(graph) : inspectText(graph));
    });
}
