/** Whether the text contains a user mention of `botId` (`<@id>` or the legacy nickname form `<@!id>`). */
export function mentionsUser(text: string, botId: string): boolean {
  return text.includes(`<@${botId}>`) || text.includes(`<@!${botId}>`);
}

/** The text with every mention of the bot removed, keeping the words around it readable. */
export function stripBotMention(text: string, botId: string): string {
  const mention = new RegExp(`\\s*<@!?${botId.replace(/\D/g, '')}>[ \\t]*([,:，：]\\s*)?`, 'g');
  return text
    .replace(mention, (whole, _sep, offset: number, all: string) => {
      const before = all.slice(0, offset);
      const after = all.slice(offset + whole.length);
      if (!before.trim() || !after.trim()) return '';
      return /^[,.!?;:，。！？；：]/.test(after) ? '' : ' ';
    })
    .trim();
}
