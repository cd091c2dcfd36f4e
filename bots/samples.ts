import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from '../core/app-root.js';
import type { IngestOptions, IngestSummary, KbService, UploadedFile } from '../core/kb-service.js';

/** The sample knowledge base shipped with TeamKB (its own user guide, FAQ and troubleshooting notes). */
export const SAMPLES_DIR = join(APP_ROOT, 'knowledge_base', 'samples');

/** Name of the knowledge base the first start fills with the samples. */
export const SAMPLE_KB = 'samples';

/** The sample files as uploads; none when the folder is absent (a trimmed install). */
export function sampleUploads(): UploadedFile[] {
  if (!existsSync(SAMPLES_DIR)) return [];
  return readdirSync(SAMPLES_DIR)
    .filter((name) => !name.startsWith('.'))
    .sort()
    .map((name) => ({ name, bytes: readFileSync(join(SAMPLES_DIR, name)) }));
}

export const createSampleKb = (kb: Pick<KbService, 'createKb'>) =>
  kb.createKb(SAMPLE_KB, { description: 'TeamKB user guide (English and Chinese)', createdBy: 'teamkb' });

export const ingestSamples = (kb: Pick<KbService, 'ingestUploads'>, hooks: IngestOptions = {}): Promise<IngestSummary> =>
  kb.ingestUploads(SAMPLE_KB, sampleUploads(), hooks);
