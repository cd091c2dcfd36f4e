import { findCycles, importGraph } from './lib/import-graph.js';

/** Prints every import cycle among the project's files; exits 1 when there is one. */
const cycles = findCycles(importGraph());
for (const cycle of cycles) console.log(`cycle: ${cycle.join(' → ')}`);
console.log(cycles.length === 0 ? 'No import cycles.' : `${cycles.length} import cycle(s).`);
process.exitCode = cycles.length === 0 ? 0 : 1;
