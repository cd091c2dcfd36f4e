/** ~700 chunks: more than one store write (512 chunks each), so a kill can fall between two. */
export const bigHandbook = (word: string): string =>
  Array.from(
    { length: 700 },
    (_, i) =>
      `## Part ${i}\n\nSection ${i} of the handbook about ${word} procedures, ${'with enough words to fill a chunk of its own '.repeat(8)}`,
  ).join('\n\n');
