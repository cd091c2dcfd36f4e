export interface Citation {
  n: number;
  file: string;
  page?: number;
  section?: string;
  url?: string;
  snippet: string;
  kb?: string;
  /** The cited passage, for its page under the public URL (`/kb/<kb>/passages/<chunkId>`). */
  chunkId?: string;
  score?: number;
}

/** Where a citation links to: the cited passage `chunkId` of `file` in `kb`. */
export type CitationLink = (kb: string, file: string, chunkId: string) => string;

/** Answers leave the core as a stream of typed parts that every adapter renders. */
export type AnswerPart =
  | { type: 'status'; text: string; queuePosition?: number }
  | { type: 'text'; text: string }
  | { type: 'citation'; citation: Citation }
  | { type: 'done'; answer: FinalAnswer }
  | { type: 'error'; code: string; message: string; ref?: string };

export interface FinalAnswer {
  markdown: string;
  citations: Citation[];
  /** KB names or "web" / "llm" — what the answer drew on. */
  sources: string[];
  mode: 'llm' | 'kb' | 'file' | 'search' | 'extractive' | 'agent';
  /** Id of the stored answer, for feedback buttons. */
  answerId?: string;
  /** Name of the LLM that wrote the answer; absent when none did (extractive, nothing found). */
  model?: string;
  /** Tokens the model read and wrote for this answer (its own counts where it reports them). */
  usage?: { promptTokens: number; completionTokens: number };
  /** How the prompt was fitted into the model's context. */
  budget?: AnswerBudget;
}

export interface AnswerBudget {
  promptTokens: number;
  passagesLeftOut: number;
  passagesShortened: number;
  historyDropped: number;
  /** Milliseconds spent counting tokens. */
  countMs: number;
}
