import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { sharedFixture } from '../../helpers/shared.js';

/** Recorded Slack payloads, read in place; tests that need them skip (with a notice) without them. */
export const SLACK_FIXTURES = sharedFixture('platforms/slack', 'Slack recorded-payload cases');

export const withFixtures = SLACK_FIXTURES ? it : it.skip;

export function fixtureText(name: string): string {
  if (!SLACK_FIXTURES) throw new Error('Slack fixtures are absent');
  return readFileSync(join(SLACK_FIXTURES, name), 'utf8');
}

export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}
