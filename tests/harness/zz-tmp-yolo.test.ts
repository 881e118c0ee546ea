import { evalOnHost, vocSubset } from './eval-fixtures';
import * as fs from 'fs'; import * as path from 'path';
test('x', async () => {
  const o = await evalOnHost('yolo-fastest-1.1-int8', vocSubset(['2007_000256', '2007_000272']));
  const lines = fs.readFileSync(path.join(o.outDir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  for (const r of lines) { console.log(r.sample, JSON.stringify(r.truth), r.outputSha256, r.detections.length, JSON.stringify(r.detections.slice().sort((a: any, b: any) => b.score - a.score).slice(0, 6))); }
  console.log(JSON.stringify(o.results.detection));
}, 200000);
