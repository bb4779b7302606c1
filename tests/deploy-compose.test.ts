/**
 * deploy/compose.yaml, the operators' example (deploy/README.md), cannot be run here (no Docker), so what
 * can be checked without it is: the file parses as YAML, its services start in the order the README says
 * (database healthy → migrate → ingest → two replicas), every replica reaches the same database with
 * the database service's own credentials, the commands are this package's scripts, the image is built
 * from a Dockerfile that exists, and Zhengce's own configuration accepts the environment it sets.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadServerConfig } from '../server/config.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const DEPLOY = join(ROOT, 'deploy');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
}

const compose = parse(readFileSync(join(DEPLOY, 'compose.yaml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: object }).scripts;
const replicas = Object.entries(services).filter(([, s]) => s.command?.join(' ') === 'npm start');

describe('deploy/compose.yaml (the operators’ example)', () => {
  it('runs PostgreSQL with pgvector, migrates it, ingests, then starts two replicas', () => {
    expect(services.db?.image).toMatch(/^pgvector\/pgvector:pg1[5-9]$/);
    expect(services.db?.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(services.migrate?.command).toEqual(['npm', 'run', 'migrate']);
    expect(services.migrate?.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(services.ingest?.command).toEqual(['npm', 'run', 'ingest']);
    expect(services.ingest?.depends_on).toEqual({
      migrate: { condition: 'service_completed_successfully' },
    });
    expect(replicas.map(([name]) => name)).toEqual(['zhengce-a', 'zhengce-b']);
    for (const [, replica] of replicas)
      expect(replica.depends_on).toEqual({ ingest: { condition: 'service_completed_successfully' } });
    // Each replica on its own loopback port of the host, the same port inside.
    expect(replicas.map(([, r]) => r.ports)).toEqual([['127.0.0.1:3001:3000'], ['127.0.0.1:3002:3000']]);
    for (const s of Object.values(services)) {
      const script = s.command?.[1] === 'run' ? s.command[2] : s.command?.[1];
      if (s.command) expect(Object.keys(scripts)).toContain(script);
    }
  });

  it('builds the image from a Dockerfile in the repository, from the repository root', () => {
    const build = services.migrate?.build;
    expect(build).toEqual({ context: '..', dockerfile: 'deploy/Dockerfile' });
    expect(existsSync(join(DEPLOY, build?.context ?? '', build?.dockerfile ?? ''))).toBe(true);
    const images = new Set(Object.entries(services).flatMap(([n, s]) => (n === 'db' ? [] : [s.image])));
    expect([...images]).toEqual(['zhengce']);
    // The corpus folder it mounts exists (the seeds, until an operator points it at theirs).
    const corpus = services.ingest?.volumes?.[0]?.split(':')[0] ?? '';
    expect(existsSync(join(DEPLOY, corpus))).toBe(true);
  });

  it('points every Zhengce service at the database service with its own credentials', () => {
    const db = services.db?.environment ?? {};
    const want = `postgres://${db.POSTGRES_USER}:${db.POSTGRES_PASSWORD}@db:5432/${db.POSTGRES_DB}`;
    for (const [name, s] of Object.entries(services)) {
      if (name === 'db') continue;
      expect(s.environment?.STORE, name).toBe('postgres');
      expect(s.environment?.DATABASE_URL, name).toBe(want);
    }
  });

  it('sets only settings Zhengce accepts: a replica serves the index and the history from the database', () => {
    const env = services['zhengce-a']?.environment ?? {};
    const config = loadServerConfig(env);
    expect(config.ingest.store).toMatchObject({ kind: 'postgres', url: env.DATABASE_URL, poolSize: 10 });
    expect(config.history).toMatchObject({ kind: 'postgres', url: env.DATABASE_URL });
    expect(config).toMatchObject({ host: '0.0.0.0', port: 3000 });
    // Every setting named is one the documented settings file lists (so none is a typo that is ignored).
    const documented = readFileSync(join(ROOT, '.env.example'), 'utf8');
    for (const key of Object.keys(env)) expect(documented, key).toMatch(new RegExp(`^#? ?${key}=`, 'm'));
  });
});
