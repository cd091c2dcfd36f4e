import { type REST, Routes } from 'discord.js';
import type { CommandSpec } from '../../core/chat.js';
import { kbCommandDefinition } from './command-definition.js';

export interface RegisterResult {
  scope: 'global' | 'guild';
  route: string;
  commands: number;
}

/**
 * Registers `/kb` globally or for one guild with a bulk overwrite (PUT), so running it again with
 * the same grammar changes nothing. It replaces every other command of this application in that scope.
 */
export async function registerKbCommand(o: {
  rest: REST;
  applicationId: string;
  specs: CommandSpec[];
  guildId?: string;
}): Promise<RegisterResult> {
  const route = o.guildId
    ? Routes.applicationGuildCommands(o.applicationId, o.guildId)
    : Routes.applicationCommands(o.applicationId);
  const body = [kbCommandDefinition(o.specs)];
  const saved = (await o.rest.put(route, { body })) as unknown[];
  return { scope: o.guildId ? 'guild' : 'global', route, commands: Array.isArray(saved) ? saved.length : body.length };
}
