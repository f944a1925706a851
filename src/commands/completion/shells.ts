// The shells there is a completion script for (light: the command line is parsed with it).
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];
