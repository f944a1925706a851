// What a cloud check needs and returns. The checks only read; fixes are proposed, never run here.
import type { Command, Finding, ProbeRecord } from '../../report.js';
import type { RunResult } from '../../run.js';
import type { CliName, ProviderId } from '../providers.js';

export interface CloudTarget {
  provider: ProviderId;
  /** Instance id (AWS), VM name (GCP, Azure), droplet id (DO), server name or id (Hetzner). */
  instance: string;
  /** AWS region; GCP zone. Optional where the CLI has a default. */
  region?: string;
  zone?: string;
  /** GCP project; Azure resource group. */
  project?: string;
  resourceGroup?: string;
  /** The user's public address, typed by them (never looked up: there may be no internet). */
  myIp: string;
  port: number;
}

export type Exec = (cmd: Command) => Promise<RunResult>;

export interface CloudCheck {
  cli: CliName;
  /** ok: the CLI answered; missing / not-logged-in: fall back to console steps. */
  status: 'ok' | 'missing' | 'not-logged-in' | 'error';
  /** One sentence for the user. */
  detail: string;
  findings: Finding[];
  probes: ProbeRecord[];
}

/** A CLI call's outcome: parsed JSON, or why there is none. */
export type CliOutcome =
  | { ok: true; json: unknown; ms: number }
  | { ok: false; status: 'missing' | 'not-logged-in' | 'error'; detail: string; ms: number };
