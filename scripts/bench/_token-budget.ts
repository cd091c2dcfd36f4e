import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createLlm } from '../../adapters/models/create-llm.js';
import { estimatedTokens } from '../../adapters/models/token-estimate.js';
import { fitPrompt } from '../../core/answering/budget.js';
import { fillTemplate, formatPassage } from '../../core/answering/prompt.js';
import type { KbService } from '../../core/kb-service.js';
import type { LlmTokens } from '../../core/llm.js';
import { median } from './_instrument.js';
import { SHARED_FIXTURES } from './_kb-fixture.js';
import type { BenchRow } from './harness.js';

const PASSAGES = 10;
const TARGET_MS = 5;

/**
 * Fits the prompts of real retrieval results (10 passages each) to a model context and reports the
 * prompt size, what was trimmed and the time spent counting tokens: with a GGUF tokenizer (Llama 2's
 * 32k vocabulary, from the shared fixtures) and with the estimate used for OpenAI-compatible servers.
 */
export async function tokenBudgetRows(
  kb: KbService,
  kbName: string,
  questions: string[],
  template: string,
): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const prompts: Array<{ question: string; passages: string[] }> = [];
  for (const question of questions) {
    const hits = await kb.search([kbName], question, { topK: PASSAGES });
    prompts.push({ question, passages: hits.map(formatPassage) });
  }
  const measure = (label: string, tokens: LlmTokens) => {
    const runs = prompts.map(({ question, passages }) =>
      fitPrompt({
        history: [],
        passages,
        build: (kept) => fillTemplate(template, { context: kept.join('\n\n'), question }),
        maxTokens: 1024,
        tokens,
        model: label,
      }),
    );
    const countMs = median(runs.map((r) => r.countMs));
    rows.push(
      {
        name: `${label}: prompt tokens (${tokens.contextSize}-token context)`,
        value: median(runs.map((r) => r.promptTokens)),
        unit: 'tokens',
      },
      {
        name: `${label}: passages left out / shortened per request`,
        value: median(runs.map((r) => r.passagesLeftOut + r.passagesShortened)),
        unit: 'passages',
      },
      {
        name: `${label}: time counting tokens per request (${PASSAGES} passages)`,
        value: countMs,
        unit: 'ms',
        target: `<= ${TARGET_MS} ms`,
        met: countMs <= TARGET_MS,
      },
    );
    return runs;
  };
  const estimate = measure('estimate (openai)', estimatedTokens(4096));
  const gguf = join(SHARED_FIXTURES, 'models', 'llama-2-tiny-random.gguf');
  if (existsSync(gguf)) {
    const llm = await createLlm(`llama:${gguf}`, {
      modelsDir: join(SHARED_FIXTURES, 'models'),
      threads: 1,
      gpu: false,
      contextSize: 4096,
    });
    if (llm?.tokens) {
      measure('GGUF tokenizer', llm.tokens);
      const small = { ...llm.tokens, contextSize: 1536 };
      measure('GGUF tokenizer, small context', small);
    }
    await llm?.close?.();
  } else notes.push(`GGUF tokenizer rows skipped: ${gguf} not found`);
  notes.push(
    `token budget: ${prompts.length} questions, top ${PASSAGES} passages each, answer budget 1024 tokens; estimate median prompt ${median(estimate.map((r) => r.promptTokens))} tokens`,
  );
  return { rows, notes };
}
