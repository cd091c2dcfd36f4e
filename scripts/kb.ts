import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import type { CoreServices } from '../bots/app-services.js';
import { describeError, TeamKbError } from '../core/errors.js';
import type { IngestSummary } from '../core/kb-service.js';
import type { SearchMode } from '../core/vector-store.js';
import { registerKeyCommands } from './cli/keys.js';

async function withCore<T>(fn: (core: CoreServices) => Promise<T>, llms = false): Promise<T> {
  // Imported on use: `--help` and argument errors never load the configuration or the services.
  const [{ openCore }, { loadConfig }] = await Promise.all([import('../bots/app-services.js'), import('../core/config/load.js')]);
  const core = await openCore(loadConfig(), { quiet: true, llms });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}

/** Expands files and folders into (name inside the KB, absolute path) pairs. */
async function expandInputs(paths: string[]): Promise<Array<{ name: string; path: string }>> {
  const out: Array<{ name: string; path: string }> = [];
  const walk = async (root: string, dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(root, full);
      else if (entry.isFile()) out.push({ name: relative(root, full).split('\\').join('/'), path: full });
    }
  };
  for (const p of paths) {
    const abs = resolve(p);
    const info = await stat(abs).catch(() => undefined);
    if (!info) throw new TeamKbError('FILE_NOT_FOUND', `${p}: no such file or folder.`);
    if (info.isDirectory()) await walk(abs, abs);
    else out.push({ name: basename(abs), path: abs });
  }
  return out;
}

const program = new Command('kb').description('Manage TeamKB knowledge bases from the terminal.').showHelpAfterError();

program
  .command('create <kb>')
  .description('create a knowledge base')
  .option('-d, --description <text>', 'what the knowledge base holds', '')
  .action((kb: string, o: { description: string }) =>
    withCore(async (core) => {
      const created = await core.kb.createKb(kb, { description: o.description, createdBy: 'cli' });
      console.log(`Created knowledge base "${created.name}" (embedder ${created.embedder}, store ${created.store}).`);
    }),
  );

program
  .command('list')
  .description('list knowledge bases')
  .option('--json', 'machine-readable output')
  .action((o: { json?: boolean }) =>
    withCore(async (core) => {
      const kbs = core.kb.listKbs().map((kb) => ({ ...kb, files: core.registry.listFiles(kb.name).length }));
      if (o.json) return console.log(JSON.stringify({ kbs }, null, 2));
      if (kbs.length === 0) return console.log('No knowledge bases yet. Create one: npm run kb -- create <name>');
      console.table(kbs.map((k) => ({ name: k.name, files: k.files, embedder: k.embedder, description: k.description })));
    }),
  );

program
  .command('delete <kb>')
  .description('delete a knowledge base, its vectors and stored files')
  .option('--yes', 'confirm deletion')
  .action((kb: string, o: { yes?: boolean }) =>
    withCore(async (core) => {
      core.kb.getKb(kb);
      if (!o.yes) throw new TeamKbError('INVALID_INPUT', `This deletes "${kb}" and all its files. Re-run with --yes to confirm.`);
      await core.kb.deleteKb(kb);
      console.log(`Deleted knowledge base "${kb}".`);
    }),
  );

program
  .command('ingest <kb> <paths...>')
  .description('add files or folders (only new or changed files are processed)')
  .option('--recreate', 'drop all vectors and rebuild the whole knowledge base')
  .option('--increment', 'only new or changed files (default)')
  .option('--prune', 'remove entries whose source file is no longer among the given paths')
  .option('--create', 'create the knowledge base if it does not exist')
  .option('--json', 'print the summary as JSON')
  .action((kb: string, paths: string[], o: { recreate?: boolean; prune?: boolean; create?: boolean; json?: boolean }) =>
    withCore(async (core) => {
      const { ingestWithProgress, printSummary } = await import('./cli/ingest-progress.js');
      if (o.create && !core.registry.getKb(kb)) await core.kb.createKb(kb, { createdBy: 'cli' });
      const inputs = await expandInputs(paths);
      const summary: IngestSummary = await ingestWithProgress(core, kb, inputs, {
        recreate: o.recreate,
        prune: o.prune,
        json: o.json,
      });
      if (o.json) console.log(JSON.stringify(summary, null, 2));
      else printSummary(summary);
      if (summary.failed.length > 0 && summary.ingested.length + summary.unchanged.length === 0) process.exitCode = 1;
    }),
  );

program
  .command('reindex <kb>')
  .description('re-embed every file of a knowledge base from its stored sources')
  .option('--recreate', 'drop the vectors first (needed after changing the embedder)')
  .action((kb: string, o: { recreate?: boolean }) =>
    withCore(async (core) => {
      const summary = await core.kb.reindex(kb, { recreate: o.recreate });
      (await import('./cli/ingest-progress.js')).printSummary(summary);
    }),
  );

program
  .command('files <kb>')
  .description('list the files of a knowledge base')
  .option('--json', 'machine-readable output')
  .action((kb: string, o: { json?: boolean }) =>
    withCore(async (core) => {
      const files = core.kb.listFiles(kb);
      if (o.json) return console.log(JSON.stringify({ files }, null, 2));
      if (files.length === 0)
        return console.log(`"${kb}" has no files yet. Add some: npm run kb -- ingest ${kb} <files or folders>`);
      console.table(files.map((f) => ({ file: f.name, status: f.status, chunks: f.chunks, size: f.size, error: f.error ?? '' })));
    }),
  );

program
  .command('remove <kb> <file>')
  .description('remove one file (its chunks stop answering at once)')
  .action((kb: string, file: string) =>
    withCore(async (core) => {
      const removed = await core.kb.removeFile(kb, file);
      console.log(`Removed "${file}" from "${kb}" (${removed} chunks).`);
    }),
  );

program
  .command('search <kb> <query...>')
  .description('show the best passages for a query (no LLM)')
  .option('-k, --top-k <n>', 'number of passages', (v) => Number.parseInt(v, 10))
  .option('-m, --mode <mode>', 'hybrid | dense | bm25')
  .option('--json', 'machine-readable output')
  .action((kb: string, words: string[], o: { topK?: number; mode?: SearchMode; json?: boolean }) =>
    withCore(async (core) => {
      if (o.mode && !['hybrid', 'dense', 'bm25'].includes(o.mode)) {
        throw new TeamKbError('INVALID_INPUT', `--mode must be hybrid, dense or bm25 (got "${o.mode}").`);
      }
      const hits = await core.kb.search(kb.split(','), words.join(' '), { topK: o.topK, mode: o.mode });
      const rows = hits.map((h) => ({
        text: h.chunk.text,
        score: Number(h.score.toFixed(4)),
        source: h.chunk.meta.source,
        page: h.chunk.meta.page ?? null,
        chunk_id: h.chunk.id,
      }));
      if (o.json) return console.log(JSON.stringify({ hits: rows }));
      if (rows.length === 0) return console.log('Nothing relevant found.');
      rows.forEach((r, i) => {
        const where = r.page ? `${r.source} p.${r.page}` : r.source;
        console.log(`\n[${i + 1}] ${where}  score ${r.score.toFixed(3)}\n${r.text.slice(0, 400)}`);
      });
    }),
  );

program
  .command('ask <kb> <question...>')
  .description('answer a question from a knowledge base (uses the configured LLM, else quotes passages)')
  .option('-k, --top-k <n>', 'passages to use', (v) => Number.parseInt(v, 10))
  .option('--json', 'print the final answer with citations as JSON')
  .action((kb: string, words: string[], o: { topK?: number; json?: boolean }) =>
    withCore(async (core) => {
      const { answerServiceFor } = await import('../bots/app-services.js');
      const answers = answerServiceFor(core);
      for await (const part of answers.answer({ mode: 'kb', kbs: kb.split(','), question: words.join(' '), topK: o.topK })) {
        if (part.type === 'text' && !o.json) process.stdout.write(part.text);
        if (part.type === 'status' && !o.json) process.stderr.write(`${part.text}\n`);
        if (part.type === 'error') throw new TeamKbError(part.code as never, part.message);
        if (part.type === 'done') {
          if (o.json) console.log(JSON.stringify(part.answer, null, 2));
          else {
            console.log('\n');
            for (const c of part.answer.citations)
              console.log(`[${c.n}] ${c.file}${c.page ? ` p.${c.page}` : ''}${c.section ? ` — ${c.section}` : ''}`);
          }
        }
      }
    }, true),
  );

registerKeyCommands(program);

program
  .command('migrate')
  .description('copy knowledge bases with their vectors to the other store (no re-embedding; counts verified)')
  .requiredOption('--to <store>', 'milvus | embedded')
  .option('--kb <names>', 'comma-separated knowledge bases (default: all)')
  .action((o: { to: string; kb?: string }) =>
    withCore(async (core) => (await import('./cli/migrate.js')).migrateStores(core, o.to, o.kb?.split(','))),
  );

program
  .command('migrate-state')
  .description('copy the embedded state (SQLite) into the empty PostgreSQL at TEAMKB_DATABASE_URL (counts verified)')
  .action(async () => (await import('./cli/migrate-state.js')).migrateStateToPostgres());

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`Error: ${describeError(err)}`);
  process.exitCode = 1;
}
