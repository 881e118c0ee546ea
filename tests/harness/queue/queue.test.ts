// The lab queue end to end on a real redis-server (Unix socket, started and stopped here): two `mcubench agent`
// processes with an emulated emu-f746 each, `submit` collecting a person_detect cell into one results folder, and
// the faults a lab sees: an agent killed with SIGKILL mid-run, and Redis itself killed and restarted mid-run. Every
// sample ends up journalled exactly once, bit-exact against TFLM's golden outputs.
import type { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnChild } from '../../../harness/process/children';
import { Queue } from 'bullmq';
import { boardQueueName, redisConnection } from '../../../harness/queue/connection';
import { queueStatus, statusText } from '../../../harness/queue/status';
import { submitSuite, type CellOutcome } from '../../../harness/queue/submit';
import { loadSuite } from '../../../harness/suite/suite-file';
import { JOURNAL_FILE } from '../../../harness/run/pipeline-manifest';
import { REPO_ROOT, SHARED_GOLDEN } from '../../support/paths';
import { RedisServer } from './redis-server';

jest.setTimeout(300_000);

const CLI = path.join(REPO_ROOT, 'bin', 'mcubench.js');
const GOLDEN = path.join(SHARED_GOLDEN, 'person_detect');
const NAMES = fs.readdirSync(GOLDEN).filter((f) => f.endsWith('.bin')).map((f) => f.replace(/\.bin$/, '')).sort();
const dirs: string[] = [];
const agents: ChildProcess[] = [];
const servers: RedisServer[] = [];

function tempDir(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mcb-queue-${tag}-`));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const agent of agents.splice(0)) if (agent.exitCode === null && agent.signalCode === null) agent.kill('SIGKILL');
  for (const server of servers.splice(0)) await server.kill();
});
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function startRedis(): Promise<RedisServer> {
  const server = new RedisServer(tempDir('redis'));
  servers.push(server);
  await server.start();
  return server;
}

/** An agent process serving one emu-f746; a dead agent's job goes back to the queue after about 3 s. */
async function startAgent(redis: RedisServer, id: string): Promise<{ child: ChildProcess; log: () => string }> {
  let log = '';
  const child = spawnChild('node', [CLI, 'agent', '--redis', redis.url, '--board', 'emu-f746', '--id', id, '--stall-ms', '3000'], {
    cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MCUBENCH_CHILDREN: tempDir('children') },
  });
  agents.push(child);
  child.stdout!.on('data', (d: Buffer) => { log += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
  const deadline = Date.now() + 60_000;
  while (!/serving emu-f746#1/.test(log)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`agent ${id} did not start:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, log: () => log };
}

/** The results folder of the suite's one cell: model, dataset, board, schedule. */
const CELL = 'pd__inputs__emu-f746__layer';

/** A suite with one person_detect cell over `copies` × the golden inputs. */
function suiteFile(copies: number): string {
  const dir = tempDir('suite');
  fs.mkdirSync(path.join(dir, 'inputs'));
  for (let c = 0; c < copies; c++) for (const name of NAMES) fs.copyFileSync(path.join(GOLDEN, `${name}.bin`), path.join(dir, 'inputs', `${name}~${c}.bin`));
  const file = path.join(dir, 'suite.yaml');
  // The suite format `mcubench suite` runs; its one cell's id names the cell's results folder.
  fs.writeFileSync(file, ['models:', `  - file: ${path.join(REPO_ROOT, 'demo', 'models', 'person_detect.tflite')}`, '    name: pd', 'boards: [emu-f746]',
    'schedules: [layer]', 'datasets:', '  - path: inputs', ''].join('\n'));
  return file;
}

function journalLines(outDir: string): string[] {
  const file = path.join(outDir, CELL, JOURNAL_FILE);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

/** Every sample once in journal and results, each output byte-equal to TFLM's golden output. */
function expectComplete(outDir: string, outcomes: CellOutcome[], copies: number): void {
  expect(outcomes[0].error).toBeUndefined();
  const results = outcomes[0].outcome!.results;
  const expected = NAMES.flatMap((n) => Array.from({ length: copies }, (_, c) => `${n}~${c}`)).sort();
  expect(results.samples.map((s) => s.name).sort()).toEqual(expected);
  const lines = journalLines(outDir).map((l) => (JSON.parse(l) as { sample: string }).sample);
  expect(lines.sort()).toEqual(expected); // no sample journalled twice
  for (const sample of results.samples) {
    const golden = fs.readFileSync(path.join(GOLDEN, `${sample.name.split('~')[0]}.out`));
    expect(fs.readFileSync(path.join(outDir, CELL, 'outputs', `${sample.name}.out`)).equals(golden)).toBe(true);
    expect(sample.matchesHost).toBe(true);
  }
  expect(results.agreement).toBe(1);
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('two agents share a submitted cell; status shows them; results come back into one folder', async () => {
  const redis = await startRedis();
  await Promise.all([startAgent(redis, 'agent-a'), startAgent(redis, 'agent-b')]);
  const connection = redisConnection(redis.url);
  const status = await queueStatus(connection);
  expect(status.agents.map((a) => [a.id, a.boards])).toEqual([['agent-a', ['emu-f746']], ['agent-b', ['emu-f746']]]);
  expect(statusText(status)).toMatch(/^agents: 2\n  agent-a on .*: emu-f746; busy none; 0 jobs done/);

  const out = path.join(tempDir('out'), 'run');
  const outcomes = await submitSuite({ suite: loadSuite(suiteFile(1)), connection, outDir: out, progress: false });
  expectComplete(out, outcomes, 1);
  const ran = outcomes[0].outcome!.results.samples.map((s) => s.run!);
  expect(new Set(ran.map((r) => r.agent))).toEqual(new Set(['agent-a', 'agent-b']));
  expect(new Set(ran.map((r) => r.firmwareSha256)).size).toBe(1);
  const after = await queueStatus(connection);
  expect(after.queues).toEqual([{ board: 'emu-f746', waiting: 0, active: 0, completed: NAMES.length, failed: 0, delayed: 0 }]);
  expect(after.runs[0].cells[CELL].done).toBe(NAMES.length);
});

test('an agent killed with SIGKILL mid-run: its job goes to the other agent, nothing is lost or counted twice', async () => {
  const redis = await startRedis();
  const [a] = await Promise.all([startAgent(redis, 'agent-a'), startAgent(redis, 'agent-b')]);
  const out = path.join(tempDir('out'), 'run');
  const running = submitSuite({ suite: loadSuite(suiteFile(1)), connection: redisConnection(redis.url), outDir: out, progress: false });
  await until(() => journalLines(out).some((l) => l.includes('"agent":"agent-a"')), 120_000, 'agent-a to finish a sample');
  // It has taken its next job at once (the queue is full); a sample takes over half a second: kill it mid-job.
  await new Promise((resolve) => setTimeout(resolve, 200));
  a.child.kill('SIGKILL');
  const outcomes = await running;
  expectComplete(out, outcomes, 1);
  const ranBy = outcomes[0].outcome!.results.samples.map((s) => s.run!.agent);
  expect(ranBy).toContain('agent-b');
  // The job agent-a held was found stalled and run again by agent-b.
  const queue = new Queue(boardQueueName('emu-f746'), { connection: redisConnection(redis.url) });
  try {
    const stalled = (await queue.getJobs(['completed'])).filter((j) => j.stalledCounter > 0);
    expect(stalled.length).toBe(1);
    expect((stalled[0].returnvalue as { agent: string }).agent).toBe('agent-b');
  } finally {
    await queue.close();
  }
}, 300_000);

test('Redis killed and restarted mid-run: agents and submitter reconnect and the run completes', async () => {
  const redis = await startRedis();
  await Promise.all([startAgent(redis, 'agent-a'), startAgent(redis, 'agent-b')]);
  const out = path.join(tempDir('out'), 'run');
  const running = submitSuite({ suite: loadSuite(suiteFile(1)), connection: redisConnection(redis.url), outDir: out, progress: false });
  await until(() => journalLines(out).length >= 3, 120_000, 'three samples journalled');
  await redis.kill();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await redis.start();
  const outcomes = await running;
  expectComplete(out, outcomes, 1);
}, 300_000);

test('submit killed with SIGKILL and run again on the same folder: it resumes, and no job runs twice', async () => {
  const redis = await startRedis();
  await Promise.all([startAgent(redis, 'agent-a'), startAgent(redis, 'agent-b')]);
  const suite = suiteFile(1);
  const out = path.join(tempDir('out'), 'run');
  const first = spawnChild('node', [CLI, 'submit', suite, '--redis', redis.url, '--out', out], { cwd: REPO_ROOT, stdio: 'ignore' });
  const killed = new Promise((resolve) => first.once('exit', resolve));
  await until(() => journalLines(out).length >= 3, 120_000, 'three samples journalled by the first submit');
  first.kill('SIGKILL');
  await killed;
  const before = journalLines(out).length;
  expect(before).toBeLessThan(NAMES.length);

  const outcomes = await submitSuite({ suite: loadSuite(suite), connection: redisConnection(redis.url), outDir: out, progress: false });
  expectComplete(out, outcomes, 1);
  expect(outcomes[0].outcome!.resumed).toBe(before);
  // One job per sample ever ran to completion: the resumed submit found the jobs the first one had queued.
  const status = await queueStatus(redisConnection(redis.url));
  expect(status.queues[0]).toMatchObject({ board: 'emu-f746', completed: NAMES.length, failed: 0 });
}, 300_000);
