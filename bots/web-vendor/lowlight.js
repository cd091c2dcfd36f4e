// Entry of the browser module served at /vendor/lowlight.js (bundled by bots/server/web-vendor.ts):
// lowlight with highlight.js's common grammars, which turns code into a tree of class names and text.
import { common, createLowlight } from 'lowlight';

export const lowlight = createLowlight(common);
