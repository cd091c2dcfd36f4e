import type { AnswerPart, Citation, CitationLink, FinalAnswer } from '../answer.js';
import { describeError, TeamKbError } from '../errors.js';
import type { AnswerRequest, AnswerService, KbService, SearchHit } from '../kb-service.js';
import type { Llm } from '../llm.js';
import { type BudgetInput, type FittedPrompt, fitPrompt, leftOutNote } from './budget.js';
import { streamAnswerParts } from './channel.js';
import { condenseQuestion } from './condense.js';
import { extractiveAnswer } from './extractive.js';
import { LlmQueue } from './llm-queue.js';
import { citationFor, citedNumbers, fillTemplate, formatPassage, isChinese } from './prompt.js';

export interface WebPassage {
  text: string;
  title: string;
  url: string;
  score: number;
}

export interface AnswerDeps {
  kb: KbService;
  /** Configured models, default first. */
  llms: Array<{ name: string; llm: Llm }>;
  prompts: Record<string, string>;
  web?: (question: string, signal?: AbortSignal) => Promise<{ passages: WebPassage[]; warnings: string[] }>;
  historyTurns?: number;
  maxTokens?: number;
  temperature?: number;
  /** Where a citation links to (its passage page). */
  link?: CitationLink;
  /** Requests one model serves at once; the rest queue. */
  concurrencyPerModel?: number;
}

type Push = (part: AnswerPart) => void;
type Usage = { promptTokens: number; completionTokens: number };

const DEFAULT_NO_CONTEXT = 'Nothing in "{kb}" matches this question, so I will not guess.';

export function createAnswerService(deps: AnswerDeps): AnswerService {
  const queues = new Map(deps.llms.map(({ name }) => [name, new LlmQueue(deps.concurrencyPerModel ?? 1)]));
  const historyTurns = deps.historyTurns ?? 3;

  const pickModel = (name?: string): { name: string; llm: Llm } | undefined => {
    if (!name) return deps.llms[0];
    const found = deps.llms.find((m) => m.name === name);
    if (!found) {
      const known = deps.llms.map((m) => m.name).join(', ') || 'none';
      throw new TeamKbError('MODEL_NOT_FOUND', `Model "${name}" is not configured. Available: ${known}.`);
    }
    return found;
  };

  /**
   * Fits the prompt to the model's context, then runs one generation through the model's queue,
   * streaming text parts; returns the full text with what fitting and the model reported.
   */
  async function generate(
    model: { name: string; llm: Llm },
    prompt: Omit<BudgetInput, 'maxTokens' | 'tokens' | 'model'>,
    req: AnswerRequest,
    push: Push,
    emit = true,
  ): Promise<{ text: string; fitted: FittedPrompt; usage: Usage }> {
    const fitted = fitPrompt({
      ...prompt,
      maxTokens: req.maxTokens ?? deps.maxTokens ?? 1024,
      tokens: model.llm.tokens,
      model: model.name,
    });
    const queue = queues.get(model.name) as LlmQueue;
    const release = await queue.acquire(req.signal, (position) =>
      push({ type: 'status', text: `Waiting for the model (position ${position} in line)…`, queuePosition: position }),
    );
    try {
      let text = '';
      let usage: Usage = { promptTokens: fitted.promptTokens, completionTokens: 0 };
      for await (const part of model.llm.stream({
        messages: fitted.messages,
        signal: req.signal,
        maxTokens: fitted.maxTokens,
        temperature: req.temperature ?? deps.temperature,
      })) {
        if (part.type === 'done') {
          usage = {
            promptTokens: part.usage?.promptTokens || usage.promptTokens,
            completionTokens: part.usage?.completionTokens ?? usage.completionTokens,
          };
          continue;
        }
        text += part.text;
        usage.completionTokens++;
        if (emit) push({ type: 'text', text: part.text });
      }
      return { text, fitted, usage };
    } finally {
      release();
    }
  }

  function finish(
    push: Push,
    markdown: string,
    citations: Citation[],
    sources: string[],
    mode: FinalAnswer['mode'],
    model?: string,
    run?: { fitted: FittedPrompt; usage: Usage },
  ) {
    for (const citation of citations) push({ type: 'citation', citation });
    const extra: Partial<FinalAnswer> = model ? { model } : {};
    if (run) {
      extra.usage = run.usage;
      extra.budget = {
        promptTokens: run.fitted.promptTokens,
        passagesLeftOut: run.fitted.passagesLeftOut,
        passagesShortened: run.fitted.passagesShortened,
        historyDropped: run.fitted.historyDropped,
        countMs: run.fitted.countMs,
      };
    }
    push({ type: 'done', answer: { markdown, citations, sources, mode, ...extra } });
  }

  async function answerFromPassages(
    req: AnswerRequest,
    push: Push,
    model: { name: string; llm: Llm } | undefined,
    question: string,
    context: string[],
    citations: Citation[],
    sources: string[],
    template: string,
    passages: string[],
  ) {
    if (!model) {
      const text = extractiveAnswer(question, citations, passages);
      push({ type: 'text', text });
      return finish(push, text, citations, sources, 'extractive');
    }
    push({ type: 'status', text: 'Writing the answer…' });
    const build = (kept: string[]) => fillTemplate(template, { context: kept.join('\n\n'), question });
    const run = await generate(model, { history: [], passages: context, build }, req, push);
    // Only passages the model saw can be cited.
    const seen = citations.slice(0, context.length - run.fitted.passagesLeftOut);
    const used = citedNumbers(run.text, seen.length);
    const shown = used.length > 0 ? seen.filter((c) => used.includes(c.n)) : seen;
    const note = leftOutNote(run.fitted, isChinese(question));
    if (note) push({ type: 'text', text: `\n\n${note}` });
    const markdown = note ? `${run.text}\n\n${note}` : run.text;
    const mode = req.mode === 'file' ? 'file' : req.mode === 'search' ? 'search' : 'kb';
    finish(push, markdown, shown, sources, mode, model.name, run);
  }

  async function produce(req: AnswerRequest, push: Push): Promise<void> {
    const model = pickModel(req.model);
    const history = (req.history ?? []).slice(-historyTurns * 2);
    let question = req.question.trim();
    if (!question) throw new TeamKbError('INVALID_INPUT', 'The question is empty.');

    if (req.mode === 'llm') {
      if (!model) {
        const text =
          'No language model is loaded, so I can only search knowledge bases. Pick one with `/kb use <kb>` or ask with `/kb ask <kb> <question>`.';
        push({ type: 'text', text });
        return finish(push, text, [], ['llm'], 'llm');
      }
      const system = deps.prompts.plain_chat ?? 'You are a helpful assistant.';
      const run = await generate(model, { system, history, passages: [], build: () => question }, req, push);
      return finish(push, run.text, [], ['llm'], 'llm', model.name, run);
    }

    if (history.length > 0 && model && deps.prompts.condense) {
      push({ type: 'status', text: 'Reading the conversation…' });
      question = await condenseQuestion(question, history, deps.prompts.condense, async (prompt) => {
        const run = await generate(model, { ...prompt, history: [] }, { ...req, maxTokens: 128 }, push, false);
        return run.text;
      });
    }

    if (req.mode === 'search') {
      if (!deps.web) throw new TeamKbError('SEARCH_FAILED', 'Web search is not configured.');
      push({ type: 'status', text: 'Searching the web…' });
      const { passages } = await deps.web(question, req.signal).catch((err: unknown) => {
        if (err instanceof TeamKbError) throw err;
        throw new TeamKbError('SEARCH_FAILED', `Web search could not be reached (${describeError(err)}).`, { cause: err });
      });
      if (passages.length === 0) {
        const text = isChinese(question) ? '网络搜索没有找到相关结果。' : 'The web search found nothing relevant.';
        push({ type: 'text', text });
        return finish(push, text, [], ['web'], 'search');
      }
      const citations: Citation[] = passages.map((p, i) => ({
        n: i + 1,
        file: p.title || p.url,
        url: p.url,
        snippet: p.text.slice(0, 240),
        score: p.score,
      }));
      const context = passages.map((p, i) => `[${i + 1}] (${p.title} — ${p.url})\n${p.text}`);
      return answerFromPassages(
        req,
        push,
        model,
        question,
        context,
        citations,
        ['web'],
        deps.prompts.search_answer ?? '{context}\n\n{question}',
        passages.map((p) => p.text),
      );
    }

    const kbs = req.kbs ?? [];
    if (kbs.length === 0) throw new TeamKbError('INVALID_INPUT', 'No knowledge base was given for this question.');
    push({ type: 'status', text: `Searching ${kbs.join(', ')}…` });
    const hits: SearchHit[] = await deps.kb.search(kbs, question, { topK: req.topK, scoreThreshold: req.scoreThreshold });
    if (hits.length === 0) {
      const template = (isChinese(question) && deps.prompts.no_context_zh) || deps.prompts.no_context || DEFAULT_NO_CONTEXT;
      const text = fillTemplate(template, { kb: kbs.join(', ') }).trim();
      push({ type: 'text', text });
      return finish(push, text, [], kbs, req.mode === 'file' ? 'file' : 'kb');
    }
    const citations = hits.map((h, i) => citationFor(h, i + 1, deps.link));
    return answerFromPassages(
      req,
      push,
      model,
      question,
      hits.map(formatPassage),
      citations,
      kbs,
      deps.prompts.kb_answer ?? '{context}\n\n{question}',
      hits.map((h) => h.chunk.text),
    );
  }

  return {
    answer(req) {
      return streamAnswerParts((push) => produce(req, push));
    },
    models: () => deps.llms.map((m) => m.name),
    status() {
      let queued = 0;
      let running = 0;
      for (const q of queues.values()) {
        queued += q.stats.queued;
        running += q.stats.running;
      }
      const embedder = (deps.kb as { embedder?: { id: string } | null }).embedder?.id ?? 'none';
      return { llms: deps.llms.map((m) => m.name), embedder, queued, running };
    },
  };
}
