import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { TeamKbError } from '../../core/errors.js';
import type { Job, JobProgress, KbFile, KnowledgeBase, NewKnowledgeBase, Registry } from '../../core/registry.js';
import { type Migration, migrate, type SqliteDb } from './sqlite-db.js';

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE knowledge_bases (
        name TEXT PRIMARY KEY, description TEXT NOT NULL DEFAULT '', embedder TEXT NOT NULL, dim INTEGER,
        store TEXT NOT NULL, created_by TEXT, visibility TEXT NOT NULL DEFAULT 'public', created_at TEXT NOT NULL);
      CREATE TABLE files (
        id TEXT PRIMARY KEY, kb TEXT NOT NULL REFERENCES knowledge_bases(name) ON DELETE CASCADE, name TEXT NOT NULL,
        sha256 TEXT NOT NULL, size INTEGER NOT NULL, status TEXT NOT NULL, error TEXT, chunks INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (kb, name));
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY, kb TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL, progress TEXT NOT NULL,
        result TEXT, error TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE INDEX jobs_kb ON jobs (kb, created_at);`,
  },
  {
    version: 2,
    sql: `
      ALTER TABLE jobs ADD COLUMN owner TEXT;
      CREATE INDEX jobs_unfinished ON jobs (status) WHERE status IN ('queued', 'running');`,
  },
];

interface KbRow {
  name: string;
  description: string;
  embedder: string;
  dim: number | null;
  store: string;
  created_by: string | null;
  visibility: KnowledgeBase['visibility'];
  created_at: string;
}

interface FileRow {
  id: string;
  kb: string;
  name: string;
  sha256: string;
  size: number;
  status: KbFile['status'];
  error: string | null;
  chunks: number;
  created_at: string;
  updated_at: string;
}

interface JobRow {
  id: string;
  kb: string;
  kind: Job['kind'];
  status: Job['status'];
  progress: string;
  result: string | null;
  error: string | null;
  owner: string | null;
  created_at: string;
  updated_at: string;
}

const toKb = (r: KbRow): KnowledgeBase => ({
  name: r.name,
  description: r.description,
  embedder: r.embedder,
  dim: r.dim,
  store: r.store,
  createdBy: r.created_by,
  visibility: r.visibility,
  createdAt: r.created_at,
});

const toFile = (r: FileRow): KbFile => ({
  id: r.id,
  kb: r.kb,
  name: r.name,
  sha256: r.sha256,
  size: r.size,
  status: r.status,
  error: r.error,
  chunks: r.chunks,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toJob = (r: JobRow): Job => ({
  id: r.id,
  kb: r.kb,
  kind: r.kind,
  status: r.status,
  progress: JSON.parse(r.progress) as JobProgress,
  result: r.result === null ? null : JSON.parse(r.result),
  error: r.error,
  owner: r.owner,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const now = () => new Date().toISOString();

/** This process, as recorded on the jobs it runs. */
export const processOwner = (): string => `${hostname()}:${process.pid}`;

/** The registry on SQLite (WAL). Shares the database file with the chat runtime's tables. */
export function createSqliteRegistry(db: SqliteDb, options: { owner?: string } = {}): Registry {
  const owner = options.owner ?? processOwner();
  migrate(db, 'registry', MIGRATIONS);
  const q = {
    getKb: db.prepare('SELECT * FROM knowledge_bases WHERE name = ?'),
    listKbs: db.prepare('SELECT * FROM knowledge_bases ORDER BY name'),
    insertKb: db.prepare(
      `INSERT INTO knowledge_bases (name, description, embedder, dim, store, created_by, visibility, created_at)
       VALUES (@name, @description, @embedder, @dim, @store, @createdBy, @visibility, @createdAt)`,
    ),
    deleteKb: db.prepare('DELETE FROM knowledge_bases WHERE name = ?'),
    deleteKbJobs: db.prepare('DELETE FROM jobs WHERE kb = ?'),
    getFile: db.prepare('SELECT * FROM files WHERE kb = ? AND name = ?'),
    getFileById: db.prepare('SELECT * FROM files WHERE id = ?'),
    listFiles: db.prepare('SELECT * FROM files WHERE kb = ? ORDER BY name'),
    upsertFile: db.prepare(
      `INSERT INTO files (id, kb, name, sha256, size, status, error, chunks, created_at, updated_at)
       VALUES (@id, @kb, @name, @sha256, @size, @status, @error, @chunks, @now, @now)
       ON CONFLICT (kb, name) DO UPDATE SET id = excluded.id, sha256 = excluded.sha256, size = excluded.size, status = excluded.status,
         error = excluded.error, chunks = excluded.chunks, updated_at = excluded.updated_at`,
    ),
    deleteFile: db.prepare('DELETE FROM files WHERE id = ?'),
    insertJob: db.prepare(
      `INSERT INTO jobs (id, kb, kind, status, progress, result, error, owner, created_at, updated_at)
       VALUES (?, ?, ?, 'queued', ?, NULL, NULL, ?, ?, ?)`,
    ),
    getJob: db.prepare('SELECT * FROM jobs WHERE id = ?'),
    listJobs: db.prepare('SELECT * FROM jobs ORDER BY created_at DESC LIMIT 200'),
    listKbJobs: db.prepare('SELECT * FROM jobs WHERE kb = ? ORDER BY created_at DESC LIMIT 200'),
    unfinishedJobs: db.prepare("SELECT * FROM jobs WHERE status IN ('queued', 'running') ORDER BY created_at"),
  };

  return {
    createKb(kb: NewKnowledgeBase): KnowledgeBase {
      if (q.getKb.get(kb.name)) throw new TeamKbError('KB_EXISTS', `Knowledge base "${kb.name}" already exists.`);
      q.insertKb.run({
        name: kb.name,
        description: kb.description ?? '',
        embedder: kb.embedder,
        dim: kb.dim,
        store: kb.store,
        createdBy: kb.createdBy ?? null,
        visibility: kb.visibility ?? 'public',
        createdAt: now(),
      });
      return toKb(q.getKb.get(kb.name) as KbRow);
    },
    getKb: (name) => {
      const row = q.getKb.get(name) as KbRow | undefined;
      return row && toKb(row);
    },
    listKbs: () => (q.listKbs.all() as KbRow[]).map(toKb),
    updateKb(name, patch) {
      const sets: string[] = [];
      const values: Record<string, unknown> = { name };
      for (const [key, column] of [
        ['description', 'description'],
        ['embedder', 'embedder'],
        ['dim', 'dim'],
        ['visibility', 'visibility'],
        ['store', 'store'],
      ] as const) {
        if (key in patch) {
          sets.push(`${column} = @${key}`);
          values[key] = patch[key] ?? null;
        }
      }
      if (sets.length > 0) db.prepare(`UPDATE knowledge_bases SET ${sets.join(', ')} WHERE name = @name`).run(values);
    },
    deleteKb(name) {
      db.transaction(() => {
        q.deleteKb.run(name);
        q.deleteKbJobs.run(name);
      })();
    },
    getFile: (kb, name) => {
      const row = q.getFile.get(kb, name) as FileRow | undefined;
      return row && toFile(row);
    },
    getFileById: (id) => {
      const row = q.getFileById.get(id) as FileRow | undefined;
      return row && toFile(row);
    },
    listFiles: (kb) => (q.listFiles.all(kb) as FileRow[]).map(toFile),
    upsertFile(file) {
      q.upsertFile.run({ ...file, now: now() });
      return toFile(q.getFile.get(file.kb, file.name) as FileRow);
    },
    deleteFile: (id) => {
      q.deleteFile.run(id);
    },
    createJob(kb, kind) {
      const id = randomUUID();
      const progress: JobProgress = { filesTotal: 0, filesDone: 0, chunksDone: 0, failed: 0, unchanged: 0 };
      const t = now();
      q.insertJob.run(id, kb, kind, JSON.stringify(progress), owner, t, t);
      return toJob(q.getJob.get(id) as JobRow);
    },
    updateJob(id, patch) {
      const sets = ['updated_at = @updatedAt'];
      const values: Record<string, unknown> = { id, updatedAt: now() };
      if (patch.status !== undefined) {
        sets.push('status = @status');
        values.status = patch.status;
      }
      if (patch.progress !== undefined) {
        sets.push('progress = @progress');
        values.progress = JSON.stringify(patch.progress);
      }
      if (patch.result !== undefined) {
        sets.push('result = @result');
        values.result = JSON.stringify(patch.result);
      }
      if (patch.error !== undefined) {
        sets.push('error = @error');
        values.error = patch.error;
      }
      db.prepare(`UPDATE jobs SET ${sets.join(', ')} WHERE id = @id`).run(values);
    },
    getJob: (id) => {
      const row = q.getJob.get(id) as JobRow | undefined;
      return row && toJob(row);
    },
    listJobs: (kb) => ((kb === undefined ? q.listJobs.all() : q.listKbJobs.all(kb)) as JobRow[]).map(toJob),
    unfinishedJobs: () => (q.unfinishedJobs.all() as JobRow[]).map(toJob),
    close: () => db.close(),
  };
}
