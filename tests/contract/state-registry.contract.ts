import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqlDb } from '../../adapters/registry/sql-db.js';
import { createSqlRegistry } from '../../adapters/registry/sql-registry.js';
import { isTeamKbError } from '../../core/errors.js';
import type { Registry } from '../../core/registry.js';

const file = (kb: string, name: string, id = `${kb}/${name}`) => ({
  id,
  kb,
  name,
  sha256: `sha-${name}`,
  size: 5_000_000_000,
  status: 'pending' as const,
  error: null,
  chunks: 0,
});

/** What the registry must do on every state engine; `open` gives a fresh, empty database. */
export function registryContract(name: string, open: (() => SqlDb) | undefined): void {
  (open ? describe : describe.skip)(`Registry contract: ${name}`, () => {
    let db: SqlDb;
    let registry: Registry;
    beforeEach(() => {
      db = (open as () => SqlDb)();
      registry = createSqlRegistry(db, { owner: 'host-a:1' });
    });
    afterEach(() => registry.close());

    it('creates, reads, lists in byte order, updates and refuses a duplicate KB', () => {
      for (const kb of ['beta', 'Alpha', '手册', 'alpha-2'])
        registry.createKb({ name: kb, embedder: 'e', dim: 8, store: 'embedded' });
      expect(registry.listKbs().map((k) => k.name)).toEqual(['Alpha', 'alpha-2', 'beta', '手册']);
      const kb = registry.getKb('beta');
      expect(kb).toMatchObject({ name: 'beta', description: '', embedder: 'e', dim: 8, visibility: 'public', createdBy: null });
      expect(() => registry.createKb({ name: 'beta', embedder: 'e', dim: 8, store: 'embedded' })).toThrow(
        expect.objectContaining({ code: 'KB_EXISTS' }),
      );
      registry.updateKb('beta', { description: 'docs', dim: null, visibility: 'private' });
      expect(registry.getKb('beta')).toMatchObject({ description: 'docs', dim: null, visibility: 'private', embedder: 'e' });
      registry.updateKb('beta', {});
      expect(registry.getKb('nope')).toBeUndefined();
    });

    it('upserts files by (kb, name), keeps large sizes, and deleting a KB removes its files and jobs', () => {
      registry.createKb({ name: 'kb', embedder: 'none', dim: null, store: 'embedded' });
      registry.createKb({ name: 'other', embedder: 'none', dim: null, store: 'embedded' });
      const first = registry.upsertFile(file('kb', 'b.md'));
      expect(first).toMatchObject({ kb: 'kb', name: 'b.md', size: 5_000_000_000, status: 'pending' });
      const again = registry.upsertFile({ ...file('kb', 'b.md', 'new-id'), status: 'ready', chunks: 7 });
      expect(again).toMatchObject({ id: 'new-id', status: 'ready', chunks: 7, createdAt: first.createdAt });
      registry.upsertFile(file('kb', 'a.md'));
      registry.upsertFile(file('other', 'a.md'));
      expect(registry.listFiles('kb').map((f) => f.name)).toEqual(['a.md', 'b.md']);
      expect(registry.getFileById('new-id')?.name).toBe('b.md');
      registry.deleteFile('new-id');
      expect(registry.getFile('kb', 'b.md')).toBeUndefined();
      const job = registry.createJob('kb', 'ingest');
      registry.deleteKb('kb');
      expect(registry.getKb('kb')).toBeUndefined();
      expect(registry.listFiles('kb')).toEqual([]);
      expect(registry.getJob(job.id)).toBeUndefined();
      expect(registry.listFiles('other')).toHaveLength(1);
    });

    it('records jobs with owner, progress and result, and lists the unfinished ones oldest first', () => {
      const a = registry.createJob('kb', 'ingest');
      const b = registry.createJob('kb2', 'reindex');
      expect(a).toMatchObject({ status: 'queued', owner: 'host-a:1', result: null, error: null });
      expect(a.progress).toEqual({ filesTotal: 0, filesDone: 0, chunksDone: 0, failed: 0, unchanged: 0 });
      registry.updateJob(a.id, {
        status: 'running',
        progress: { filesTotal: 2, filesDone: 1, chunksDone: 9, failed: 0, unchanged: 0 },
      });
      expect(registry.getJob(a.id)).toMatchObject({ status: 'running', progress: { filesDone: 1, chunksDone: 9 } });
      // Oldest first (two jobs made in the same millisecond may come in either order).
      const unfinished = registry.unfinishedJobs();
      expect(new Set(unfinished.map((j) => j.id))).toEqual(new Set([a.id, b.id]));
      expect((unfinished[0]?.createdAt as string) <= (unfinished[1]?.createdAt as string)).toBe(true);
      registry.updateJob(a.id, { status: 'done', result: { chunks: 9, files: ['x'] } });
      registry.updateJob(b.id, { status: 'failed', error: 'broken' });
      expect(registry.getJob(a.id)?.result).toEqual({ chunks: 9, files: ['x'] });
      expect(registry.getJob(b.id)?.error).toBe('broken');
      expect(registry.unfinishedJobs()).toEqual([]);
      expect(registry.listJobs('kb2').map((j) => j.id)).toEqual([b.id]);
      expect(new Set(registry.listJobs().map((j) => j.id))).toEqual(new Set([a.id, b.id]));
    });

    it('cancels only a job no run has started, and a cancelled job never starts', () => {
      const waiting = registry.createJob('kb', 'ingest', 'queue');
      const started = registry.createJob('kb', 'ingest', 'queue');
      expect(registry.startJob(started.id)).toBe(true);
      expect(registry.getJob(started.id)?.status).toBe('running');
      expect(registry.cancelQueuedJob(started.id, 'too late')).toBe(false);
      expect(registry.getJob(started.id)).toMatchObject({ status: 'running', error: null });

      expect(registry.cancelQueuedJob(waiting.id, 'Cancelled before it started.')).toBe(true);
      expect(registry.getJob(waiting.id)).toMatchObject({ status: 'cancelled', error: 'Cancelled before it started.' });
      // A worker that took the job off the queue anyway must not run it; cancelling twice is refused.
      expect(registry.startJob(waiting.id)).toBe(false);
      expect(registry.cancelQueuedJob(waiting.id, 'again')).toBe(false);
      expect(registry.getJob(waiting.id)?.status).toBe('cancelled');
      // A retried run (after a failure) starts again; an unknown job neither starts nor cancels.
      registry.updateJob(started.id, { status: 'failed', error: 'worker died' });
      expect(registry.startJob(started.id)).toBe(true);
      expect(registry.startJob('no-such-job')).toBe(false);
      expect(registry.cancelQueuedJob('no-such-job', 'x')).toBe(false);
      expect(registry.unfinishedJobs().map((j) => j.id)).toEqual([started.id]);
    });

    it('migrates once: opening the registry again on the same database keeps everything', () => {
      registry.createKb({ name: 'kept', embedder: 'none', dim: null, store: 'embedded' });
      const again = createSqlRegistry(db);
      expect(again.getKb('kept')?.name).toBe('kept');
      const versions = db.all<{ version: number }>(
        "SELECT version FROM schema_migrations WHERE module = 'registry' ORDER BY version",
      );
      expect(versions.map((v) => v.version)).toEqual([1, 2]);
    });

    it('rolls a failed transaction back and reports statement errors as state errors', () => {
      registry.createKb({ name: 'kb', embedder: 'none', dim: null, store: 'embedded' });
      expect(() =>
        db.transaction(() => {
          db.run('DELETE FROM knowledge_bases WHERE name = ?', 'kb');
          throw new Error('stop');
        }),
      ).toThrow('stop');
      expect(registry.getKb('kb')).toBeDefined();
      let caught: unknown;
      try {
        db.run('INSERT INTO no_such_table VALUES (?)', 1);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(Error);
      if (db.dialect === 'postgres') expect(isTeamKbError(caught, 'STATE_DB_FAILED')).toBe(true);
    });
  });
}
