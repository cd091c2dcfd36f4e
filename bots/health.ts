import type { CoreServices } from './core-services.js';
import type { Health } from './server/app.js';

/** Ready, or degraded with every reason a part could not load (models, store, platforms). */
export function healthOf(core: CoreServices, extraProblems: readonly string[] = []): Health {
  const storeProblem = (core.store as { problem?: string }).problem;
  const reasons = [
    ...(core.embedderProblem ? [core.embedderProblem] : []),
    ...(core.rerankerProblem ? [core.rerankerProblem] : []),
    ...core.llmProblems,
    ...(storeProblem ? [storeProblem] : []),
    ...extraProblems,
  ];
  return { status: reasons.length === 0 ? 'ready' : 'degraded', reasons };
}
