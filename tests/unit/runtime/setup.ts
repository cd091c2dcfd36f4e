import pino from 'pino';
import { openSqlite, type SqlDb } from '../../../adapters/registry/sqlite-db.js';
import { runtimeConfigSchema } from '../../../bots/runtime/config.js';
import { createBotRuntime, type TeamKbRuntime } from '../../../bots/runtime/create-runtime.js';
import { MemoryAdapter } from '../../helpers/memory-adapter.js';
import { FakeAnswerService } from './fakes/fake-answer-service.js';
import { FakeKbService } from './fakes/fake-kb-service.js';

export interface TestBot {
  runtime: TeamKbRuntime;
  chat: MemoryAdapter;
  kb: FakeKbService;
  answers: FakeAnswerService;
  db: SqlDb;
  /** Moves the runtime's clock forward. */
  advance(ms: number): void;
  close(): Promise<void>;
}

/** A runtime on an in-memory SQLite with fake services, wired to a memory adapter. U-ADMIN is an admin. */
export async function makeBot(config: Record<string, unknown> = {}): Promise<TestBot> {
  let time = Date.UTC(2026, 0, 1);
  const db = openSqlite(':memory:');
  const kb = new FakeKbService();
  const answers = new FakeAnswerService(kb);
  const runtime = createBotRuntime({
    kb,
    answers,
    db,
    config: runtimeConfigSchema.parse({ admins: { memory: ['U-ADMIN'] }, purgeIntervalMinutes: 0, ...config }),
    logger: pino({ level: 'silent' }),
    now: () => time,
  });
  const chat = new MemoryAdapter();
  await chat.start(runtime);
  return {
    runtime,
    chat,
    kb,
    answers,
    db,
    advance: (ms) => {
      time += ms;
    },
    close: async () => {
      await chat.stop();
      runtime.close();
      db.close();
    },
  };
}

export const ADMIN = { user: 'U-ADMIN' } as const;
