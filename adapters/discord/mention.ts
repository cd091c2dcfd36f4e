/** The ids that address the bot: its user id and, in a guild, its managed role (people often pick the role by mistake). */
export interface BotIds {
  userId: string;
  roleId?: string;
}

/** Whether the text mentions the bot (`<@id>`, the legacy nickname form `<@!id>`, or its role `<@&role>`). */
export function mentionsBot(text: string, bot: BotIds): boolean {
  return mentionPattern(bot).test(text);
}

/** The text with every mention of the bot removed, keeping the words around it readable. */
export function stripBotMention(text: string, bot: BotIds | string): string {
  const ids = typeof bot === 'string' ? { userId: bot } : bot;
  const mention = new RegExp(`\\s*(?:${mentionPattern(ids).source})[ \\t]*([,:，：]\\s*)?`, 'g');
  return text
    .replace(mention, (whole, _sep, offset: number, all: string) => {
      const before = all.slice(0, offset);
      const after = all.slice(offset + whole.length);
      if (!before.trim() || !after.trim()) return '';
      return /^[,.!?;:，。！？；：]/.test(after) ? '' : ' ';
    })
    .trim();
}

function mentionPattern(bot: BotIds): RegExp {
  const digits = (id: string) => id.replace(/\D/g, '');
  const role = bot.roleId ? `|<@&${digits(bot.roleId)}>` : '';
  return new RegExp(`<@!?${digits(bot.userId)}>${role}`);
}
