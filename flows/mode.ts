// Who answers a flow's questions. Headless is a mode of the machine, not of the command that runs
// it: without a person, every question takes its safe default (decline, skip, done) by a guard,
// so the path tests walk the headless run as well.
export interface Answering {
  /** A person answers menus (a terminal, and not --json). */
  interactive: boolean;
  /** --yes: apply proposed fixes without asking (each is still printed). */
  autoApply: boolean;
}
