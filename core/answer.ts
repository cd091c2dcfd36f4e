export interface Citation {
  n: number;
  file: string;
  page?: number;
  section?: string;
  url?: string;
  snippet: string;
  kb?: string;
  score?: number;
}

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
}
