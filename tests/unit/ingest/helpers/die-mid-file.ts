/**
 * Child process for the crash-consistency test: ingests one file large enough for several store
 * writes and dies (SIGKILL) right after the first write, so the store demonstrably holds some but
 * not all chunks of that file version.
 */
import { openCore } from '../../../../bots/app-services.js';
import { loadConfig } from '../../../../core/config/load.js';
import { bigHandbook } from './big-handbook.js';

const [dataDir, kb, name, text] = [process.argv[2], 'docs', 'handbook.md', bigHandbook(process.argv[3] ?? 'zebrafish')];
const config = loadConfig({
  configDir: 'configs',
  env: {
    TEAMKB_DATA_DIR: dataDir,
    TEAMKB_EMBEDDER: 'fake:32',
    TEAMKB_LLM: 'none',
    TEAMKB_PULL: 'never',
    TEAMKB_LOG_LEVEL: 'silent',
  },
});
const core = await openCore(config);
if (!core.registry.getKb(kb)) await core.kb.createKb(kb);
const upsert = core.store.upsert.bind(core.store);
// Fault injection: the process is killed between two writes of the same file version.
core.store.upsert = async (target, chunks) => {
  await upsert(target, chunks);
  process.stdout.write(`stored ${chunks.length} chunks of ${chunks[0]?.fileId}\n`);
  process.kill(process.pid, 'SIGKILL');
};
await core.kb.ingestUploads(kb, [{ name, bytes: Buffer.from(text) }]);
process.stdout.write('finished without dying\n');
