// The first words that name a mode; every other first word is the client's. Apart from modes.ts
// (which loads them), so the entry can tell a client run without loading any mode.
export const MODE_NAMES = ['server', 'locked-out', 'undo', 'completion'] as const;
export type ModeName = (typeof MODE_NAMES)[number];
