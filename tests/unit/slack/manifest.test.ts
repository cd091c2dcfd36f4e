import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../../helpers/shared.js';

interface Manifest {
  features: { slash_commands: Array<{ command: string }>; bot_user: { display_name: string } };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[] };
    interactivity: { is_enabled: boolean };
    socket_mode_enabled: boolean;
  };
}

describe('Slack app manifest', () => {
  const manifest = parse(readFileSync(join(ROOT, 'adapters/slack/manifest.yaml'), 'utf8')) as Manifest;

  it('asks for every scope the adapter uses', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        'app_mentions:read',
        'chat:write',
        'commands',
        'files:read',
        'im:history',
        'im:read',
        'im:write',
        'channels:history',
        'groups:history',
        'users:read',
      ]),
    );
  });

  it('subscribes to the events, the /kb command and interactivity, in Socket Mode', () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['app_mention', 'message.im', 'message.channels', 'message.groups']),
    );
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/kb']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });
});
