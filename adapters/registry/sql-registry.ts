import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { TeamKbError } from '../../core/errors.js';
import type { Job, JobProgress, KbFile, KnowledgeBase, NewKnowledgeBase, Registry } from '../../core/registry.js';
import type { Migration, SqlDb } from './sql-db.js';
import { migrate } from './sql-db.js';

/**
 * PostgreSQL keeps names in byte order ("C" collation), as SQLite does, so listings sort the same
 * on both engines whatever the server's default collation.
 */
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
    postgres: `
      CREATE TABLE knowledge_bases (
        name TEXT COLLATE "C" PRIMARY KEY, description TEXT NOT NULL DEFAULT '', embedder TEXT NOT NULL, dim INTEGER,
        store TEXT NOT NULL, created_by TEXT, visibility TEXT NOT NULL DEFAULT 'public', created_at TEXT COLLATE "C" NOT NULL);
      CREATE TABLE files (
        id TEXT PRIMARY KEY, kb TEXT COLLATE "C" NOT NULL REFERENCES knowledge_bases(name) ON DELETE CASCADE,
        name TEXT COLLATE "C" NOT NULL, sha256 TEXT NOT NULL, size BIGINT NOT NULL, status TEXT NOT NULL, error TEXT,
        chunks INTEGER NOT NULL DEFAULT 0, created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
        UNIQUE (kb, name));
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY, kb TEXT COLLATE "C" NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL, progress TEXT NOT NULL,
        result TEXT, error TEXT, created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL);
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

/** The registry on the state database (SQLite or PostgreSQL), beside the chat runtime's tables. */
export function createSqlRegistry(db: SqlDb, options: { owner?: string } = {}): Registry {
  const owner = options.owner ?? processOwner();
  migrate(db, 'registry', MIGRATIONS);
  const getKb = (name: string) => db.get<KbRow>('SELECT * FROM knowledge_bases WHERE name = ?', name);
  const getFile = (kb: string, name: string) => db.get<FileRow>('SELECT * FROM files WHERE kb = ? AND name = ?', kb, name);
  const getJob = (id: string) => db.get<JobRow>('SELECT * FROM jobs WHERE id = ?', id);
  /** `UPDATE … SET a = ?, b = ?` from the given columns; nothing when none is given. */
  const update = (table: string, where: string, key: string, sets: Array<[string, unknown]>) => {
    if (sets.length === 0) return;
    db.run(
      `UPDATE ${table} SET ${sets.map(([column]) => `${column} = ?`).join(', ')} WHERE ${where} = ?`,
      ...sets.map(([, value]) => value),
      key,
    );
  };

  return {
    createKb(kb: NewKnowledgeBase): KnowledgeBase {
      if (getKb(kb.name)) throw new TeamKbError('KB_EXISTS', `Knowledge base "${kb.name}" already exists.`);
      db.run(
        `INSERT INTO knowledge_bases (name, description, embedder, dim, store, created_by, visibility, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        kb.name,
        kb.description ?? '',
        kb.embedder,
        kb.dim,
        kb.store,
        kb.createdBy ?? null,
        kb.visibility ?? 'public',
        now(),
      );
      return toKb(getKb(kb.name) as KbRow);
    },
    getKb: (name) => {
      const row = getKb(name);
      return row && toKb(row);
    },
    listKbs: () => db.all<KbRow>('SELECT * FROM knowledge_bases ORDER BY name').map(toKb),
    updateKb(name, patch) {
      const keys = ['description', 'embedder', 'dim', 'visibility', 'store'] as const;
      update(
        'knowledge_bases',
        'name',
        name,
        keys.filter((key) => key in patch).map((key) => [key, patch[key] ?? null]),
      );
    },
    deleteKb(name) {
      db.transaction(() => {
        db.run('DELETE FROM knowledge_bases WHERE name = ?', name);
        db.run('DELETE FROM jobs WHERE kb = ?', name);
      });
    },
    getFile: (kb, name) => {
      const row = getFile(kb, name);
      return row && toFile(row);
    },
    getFileById: (id) => {
      const row = db.get<FileRow>('SELECT * FROM files WHERE id = ?', id);
      return row && toFile(row);
    },
    listFiles: (kb) => db.all<FileRow>('SELECT * FROM files WHERE kb = ? ORDER BY name', kb).map(toFile),
    upsertFile(file) {
      const t = now();
      db.run(
        `INSERT INTO files (id, kb, name, sha256, size, status, error, chunks, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (kb, name) DO UPDATE SET id = excluded.id, sha256 = excluded.sha256, size = excluded.size,
           status = excluded.status, error = excluded.error, chunks = excluded.chunks, updated_at = excluded.updated_at`,
        file.id,
        file.kb,
        file.name,
        file.sha256,
        file.size,
        file.status,
        file.error,
        file.chunks,
        t,
        t,
      );
      return toFile(getFile(file.kb, file.name) as FileRow);
    },
    deleteFile: (id) => {
      db.run('DELETE FROM files WHERE id = ?', id);
    },
    createJob(kb, kind, jobOwner = owner) {
      const id = randomUUID();
      const progress: JobProgress = { filesTotal: 0, filesDone: 0, chunksDone: 0, failed: 0, unchanged: 0 };
      const t = now();
      db.run(
        `INSERT INTO jobs (id, kb, kind, status, progress, result, error, owner, created_at, updated_at)
         VALUES (?, ?, ?, 'queued', ?, NULL, NULL, ?, ?, ?)`,
        id,
        kb,
        kind,
        JSON.stringify(progress),
        jobOwner,
        t,
        t,
      );
      return toJob(getJob(id) as JobRow);
    },
    updateJob(id, patch) {
      const sets: Array<[string, unknown]> = [['updated_at', now()]];
      if (patch.status !== undefined) sets.push(['status', patch.status]);
      if (patch.progress !== undefined) sets.push(['progress', JSON.stringify(patch.progress)]);
      if (patch.result !== undefined) sets.push(['result', JSON.stringify(patch.result)]);
      if (patch.error !== undefined) sets.push(['error', patch.error]);
      update('jobs', 'id', id, sets);
    },
    startJob: (id) =>
      db.run("UPDATE jobs SET status = 'running', updated_at = ? WHERE id = ? AND status <> 'cancelled'", now(), id).changes > 0,
    cancelQueuedJob: (id, reason) =>
      db.run(
        "UPDATE jobs SET status = 'cancelled', error = ?, updated_at = ? WHERE id = ? AND status = 'queued'",
        reason,
        now(),
        id,
      ).changes > 0,
    getJob: (id) => {
      const row = getJob(id);
      return row && toJob(row);
    },
    listJobs: (kb) =>
      (kb === undefined
        ? db.all<JobRow>('SELECT * FROM jobs ORDER BY created_at DESC LIMIT 200')
        : db.all<JobRow>('SELECT * FROM jobs WHERE kb = ? ORDER BY created_at DESC LIMIT 200', kb)
      ).map(toJob),
    unfinishedJobs: () =>
      db.all<JobRow>("SELECT * FROM jobs WHERE status IN ('queued', 'running') ORDER BY created_at").map(toJob),
    close: () => db.close(),
  };
}
