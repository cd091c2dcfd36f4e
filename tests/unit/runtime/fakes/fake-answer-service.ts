import type { AnswerPart, Citation } from '../../../../core/answer.js';
import type { AnswerRequest, AnswerService, KbService } from '../../../../core/kb-service.js';

/**
 * A scripted AnswerService that records requests. By default it streams "The answer is
 * **forty-two** [1]." with a citation (naming the files of a file-chat KB), and throws for a
 * question containing "please fail". `script` replaces the default.
 */
export class FakeAnswerService implements AnswerService {
  readonly requests: AnswerRequest[] = [];
  script?: (req: AnswerRequest) => AnswerPart[];
  llms = ['small', 'large'];

  constructor(private readonly kb?: KbService) {}

  async *answer(req: AnswerRequest): AsyncIterable<AnswerPart> {
    this.requests.push(req);
    if (this.script) {
      yield* this.script(req);
      return;
    }
    if (req.question.includes('please fail')) throw new Error('model exploded');
    yield { type: 'status', text: `Searching ${req.kbs?.join(', ') ?? req.mode}…` };
    const files = req.mode === 'file' ? (req.kbs ?? []).flatMap((kb) => this.kb?.listFiles(kb).map((f) => f.name) ?? []) : [];
    const markdown = `The answer is **forty-two** [1].${files.length ? ` Read ${files.join(', ')}.` : ''}`;
    for (const word of markdown.split(/(?= )/)) yield { type: 'text', text: word };
    const citation: Citation = { n: 1, file: files[0] ?? 'guide.pdf', page: 3, snippet: 'forty-two', kb: req.kbs?.[0] };
    yield { type: 'citation', citation };
    const sources = req.kbs ?? [req.mode === 'search' ? 'web' : 'llm'];
    yield { type: 'done', answer: { markdown, citations: [citation], sources, mode: req.mode } };
  }

  models(): string[] {
    return this.llms;
  }

  status() {
    return { llms: this.llms, embedder: 'fake-embedder', queued: 2, running: 1 };
  }

  last(): AnswerRequest {
    const req = this.requests.at(-1);
    if (!req) throw new Error('no answer was requested');
    return req;
  }
}
