import { type ChildProcess, execFile, execFileSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCorpusFile, SkippedFileError } from '../ingest/read-corpus-file.ts';
import { createService } from '../server/service.ts';
import { spawnNpmStart, stopNpmStart } from './support/npm-start.ts';

/**
 * A corpus of two good seeds among everything that used to stop or hang ingest, or pass without a word:
 * a sparse 3 GiB file, a FIFO, a socket, links (to a document, to itself, to its own folder), an ELF
 * executable and control-byte noise named .txt, an empty file, random bytes named .docx and .pdf, two
 * names that differ only in Unicode normalisation (one document id), an unreadable file and an
 * unreadable folder. The machine runs tests as root, whom permission bits do not stop, so the real
 * `npm run ingest` and `npm start` run as nobody (uid/gid 65534) on a folder nobody owns.
 */
const ROOT = new URL('..', import.meta.url).pathname;
const NOBODY = 65534;
const run = promisify(execFile);
const SEEDS = ['jiaxing-2024-health-modernisation-opinions.txt', 'changzhou-2020-health-work-plan.txt'];
const NFD = 'cafe\u0301.txt';
const NFC = 'caf\u00e9.txt';

let dir: string;
let corpus: string;
let socket: Server;
let ingest: { stdout: string; stderr: string; seconds: number };
let child: ChildProcess | undefined;

/** Deterministic bytes (a linear congruential generator), so the random files are the same every run. */
function noise(length: number, seed: number, pick: (n: number) => number = (n) => n & 0xff): Buffer {
  const bytes = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = pick(x >>> 16);
  }
  return bytes;
}

/** A real ELF64 header for an x86-64 executable (what `readelf -h` accepts), then some code bytes. */
function elfExecutable(): Buffer {
  const header = Buffer.alloc(64);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(header, 0); // magic, 64-bit, little-endian, v1, SysV
  header.writeUInt16LE(2, 16); // ET_EXEC
  header.writeUInt16LE(0x3e, 18); // EM_X86_64
  header.writeUInt32LE(1, 20); // EV_CURRENT
  header.writeBigUInt64LE(0x401000n, 24); // entry point
  header.writeBigUInt64LE(64n, 32); // program headers right after this header
  header.writeUInt16LE(64, 52); // header size
  header.writeUInt16LE(56, 54); // program header size
  header.writeUInt16LE(1, 56); // one program header
  header.writeUInt16LE(64, 58); // section header size
  return Buffer.concat([header, noise(4096, 7)]);
}

const nobodyEnv = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
  ...process.env,
  // npm writes its logs under HOME; nobody's must be writable.
  HOME: dir,
  npm_config_update_notifier: 'false',
  CORPUS_DIR: corpus,
  INDEX_DIR: join(dir, 'index'),
  DATA_DIR: join(dir, 'data'),
  ...extra,
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zhengce-bad-files-'));
  corpus = join(dir, 'corpus');
  mkdirSync(corpus);
  for (const seed of SEEDS) cpSync(join(ROOT, 'seeds', seed), join(corpus, seed));
  // Sparse: 3 GiB long, no disk used. Reading it whole is what used to stop ingest (over 2 GiB).
  closeSync(openSync(join(corpus, 'disk-image.txt'), 'w'));
  execFileSync('truncate', ['-s', '3G', join(corpus, 'disk-image.txt')]);
  execFileSync('mkfifo', [join(corpus, 'pipe.txt')]);
  socket = createServer();
  await new Promise<void>((resolve) => socket.listen(join(corpus, 'control'), resolve));
  symlinkSync(SEEDS[0] ?? '', join(corpus, 'link-to-jiaxing.txt'));
  symlinkSync('loop.txt', join(corpus, 'loop.txt'));
  symlinkSync('.', join(corpus, 'again'));
  writeFileSync(join(corpus, 'setup.txt'), elfExecutable());
  // Control bytes and high bytes, no NUL: what a NUL check alone reads as text.
  writeFileSync(
    join(corpus, 'noise.txt'),
    Buffer.concat([Buffer.from([1, 2, 3]), noise(6000, 11, (n) => 1 + (n % 255))]),
  );
  writeFileSync(join(corpus, 'empty.txt'), '');
  writeFileSync(join(corpus, 'broken.docx'), noise(5000, 3));
  writeFileSync(join(corpus, 'broken.pdf'), noise(5000, 5));
  writeFileSync(
    join(corpus, NFD),
    '某某市卫生健康委员会关于印发某某方案的通知\n一、目标\n到2025年，每千人口床位数达到6张。',
  );
  writeFileSync(
    join(corpus, NFC),
    '某某县卫生健康局关于印发某某计划的通知\n一、目标\n到2025年，每千人口托位数达到4.5个。',
  );
  cpSync(join(ROOT, 'seeds', 'xining-2024-health-service-system-plan.txt'), join(corpus, 'secret.txt'));
  mkdirSync(join(corpus, 'locked'));
  cpSync(
    join(ROOT, 'seeds', 'nanchang-xinjian-2023-health-capacity-plan.txt'),
    join(corpus, 'locked', 'plan.txt'),
  );
  execFileSync('chown', ['-hR', `${NOBODY}:${NOBODY}`, dir]);
  chmodSync(join(corpus, 'secret.txt'), 0o000);
  chmodSync(join(corpus, 'locked'), 0o000);

  const started = performance.now();
  // A FIFO opened for reading waits for a writer: a hang here is the test failing (timeout kills it).
  const { stdout, stderr } = await run('npm', ['run', '--silent', 'ingest'], {
    cwd: ROOT,
    env: nobodyEnv({}),
    uid: NOBODY,
    gid: NOBODY,
    timeout: 120_000,
  });
  ingest = { stdout, stderr, seconds: (performance.now() - started) / 1000 };
}, 180_000);

afterAll(async () => {
  child?.kill('SIGTERM');
  await new Promise<void>((resolve) => socket?.close(() => resolve()) ?? resolve());
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm run ingest on a corpus of bad files, as an unprivileged user', () => {
  it('finishes (the FIFO is never opened) and names every bad file with its reason under "Skipped"', () => {
    const out = `${ingest.stdout}\n${ingest.stderr}`;
    expect(ingest.seconds).toBeLessThan(120);
    expect(out).toMatch(/Skipped \(\d+, not indexed\):/);
    const reported = (name: string, reason: RegExp) => {
      const line = out.split('\n').find((l) => l.trimStart().startsWith(`${name}:`));
      expect(line, `${name} is reported`).toBeDefined();
      expect(line).toMatch(reason);
    };
    reported('disk-image.txt', /file is 3072 MiB, over MAX_FILE_MB \(200\)/);
    reported('pipe.txt', /named pipe \(FIFO\), not a regular file/);
    reported('control', /socket, not a regular file/);
    reported('link-to-jiaxing.txt', /symbolic link, not followed/);
    reported('loop.txt', /symbolic link, not followed/);
    reported('again', /symbolic link, not followed/);
    reported('setup.txt', /binary file \(an ELF executable\), not a document/);
    reported('noise.txt', /binary file \(binary data\), not a document/);
    reported('empty.txt', /empty file \(0 bytes\)/);
    reported('broken.docx', /broken\.docx.*is not a \.docx file \(it is not a ZIP package\)/);
    reported('broken.pdf', /broken\.pdf is not a readable PDF .*damaged or truncated/);
    reported('secret.txt', /permission denied/);
    reported('locked/', /folder not read: permission denied/);
  });

  it("keeps the first of two files with one document id and names both in the other one's reason", () => {
    const out = `${ingest.stdout}\n${ingest.stderr}`;
    // NFD sorts first (e before é), so it keeps the id.
    const line = out.split('\n').find((l) => l.includes('is already taken by'));
    expect(line?.trimStart().startsWith(`${NFC}:`)).toBe(true);
    expect(line).toContain(`already taken by ${NFD}`);
    expect(line).toContain('differ only in how their accented or composed characters are encoded');
  });

  it('indexes the good documents, and they answer', async () => {
    expect(ingest.stdout).toMatch(/Indexed 3 document\(s\)/);
    const service = await createService({
      corpusDir: corpus,
      indexDir: join(dir, 'index'),
      ensure: false,
      llm: null,
    });
    expect(service.listDocuments().map((d) => d.source)).toEqual(expect.arrayContaining([...SEEDS, NFD]));
    const answer = await service.ask({ question: '嘉兴2027年家庭医生签约覆盖率目标是多少?' });
    expect(answer.status).toBe('answered');
    expect(answer.answer).toContain('45%');
  });
});

describe('reading a corpus file', () => {
  it('refuses a FIFO at once instead of waiting for a writer, and a link instead of following it', () => {
    expect(() => readCorpusFile(join(corpus, 'pipe.txt'), 1024 * 1024)).toThrow(
      new SkippedFileError('named pipe (FIFO), not a regular file'),
    );
    expect(() => readCorpusFile(join(corpus, 'link-to-jiaxing.txt'), 1024 * 1024)).toThrow(
      new SkippedFileError('symbolic link, not followed'),
    );
    expect(() => readCorpusFile(join(corpus, 'disk-image.txt'), 200 * 1024 * 1024)).toThrow(
      new SkippedFileError('file is 3072 MiB, over MAX_FILE_MB (200)'),
    );
  });
});

/** Starts `npm start` as nobody and resolves with the URL it prints and its output so far. */
function startAsNobody(): Promise<{ url: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    const started = spawnNpmStart({
      cwd: ROOT,
      env: nobodyEnv({ PORT: '0', HOST: '127.0.0.1' }),
      uid: NOBODY,
      gid: NOBODY,
    });
    child = started;
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = output.match(/listening on (http:\/\/[^\s]+)/);
      if (m?.[1]) resolve({ url: m[1], output: () => output });
    };
    started.stdout?.on('data', onData);
    started.stderr?.on('data', onData);
    started.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
}

async function stop(): Promise<void> {
  const running = child;
  child = undefined;
  await stopNpmStart(running);
}

async function ask(url: string, question: string): Promise<{ status: string; answer: string }> {
  const response = await fetch(`${url}/api/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ question }),
  });
  return (await response.json()) as { status: string; answer: string };
}

describe('npm start when a corpus file becomes unreadable after the index was built', () => {
  it("serves the index as it was built (no rebuild, the file's text still answers) and logs the file", async () => {
    chmodSync(join(corpus, SEEDS[1] ?? ''), 0o000);
    const { url, output } = await startAsNobody();
    try {
      expect(output()).not.toContain('Built the index');
      expect(output()).toContain(
        `Skipped ${SEEDS[1]}: permission denied; the index keeps its text as it was built`,
      );
      expect(output()).toContain('Skipped pipe.txt: named pipe (FIFO), not a regular file');
      expect(output()).toContain('Skipped locked/: folder not read: permission denied');
      const changzhou = await ask(url, '常州2020年全市城乡居民健康素养综合水平目标是多少?');
      expect(changzhou.answer).toContain('32%');
    } finally {
      await stop();
    }
  }, 120_000);

  it('rebuilds without it when another file changed (its contents cannot be hashed), logs it and answers', async () => {
    // A new time on the other seed: the sizes-and-times check fails, so start-up hashes every readable file.
    utimesSync(join(corpus, SEEDS[0] ?? ''), new Date(), new Date(Date.now() + 60_000));
    const { url, output } = await startAsNobody();
    try {
      expect(output()).toContain('Built the index because the corpus or the chunking settings changed.');
      expect(output()).toContain(`Skipped ${SEEDS[1]}: permission denied`);
      const jiaxing = await ask(url, '嘉兴2027年家庭医生签约覆盖率目标是多少?');
      expect(jiaxing.answer).toContain('45%');
      const health = (await (await fetch(`${url}/healthz`)).json()) as {
        manifest: { counts: { documents: number } };
      };
      expect(health.manifest.counts.documents).toBe(2);
    } finally {
      await stop();
    }
  }, 180_000);
});
