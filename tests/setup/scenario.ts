/** Runs `runSetup` in-process against a stand-in server, a fake probe and a fake launcher, in a real repo. */
import { join } from "node:path";
import { parse as parseDotenv } from "dotenv";
import { runDoctor } from "../../src/doctor/checks.ts";
import { loadCatalog, type ProfileName } from "../../src/models/catalog.ts";
import { runSetup, type SetupOutcome } from "../../src/setup/run_setup.ts";
import { createPyRepo, type PyRepo } from "../support/pyrepo.ts";
import { type StandIn, type StandInOptions, startStandIn } from "../support/standin_llm.ts";
import {
  configFor,
  type FakeLauncher,
  fakeLauncher,
  fakeProbe,
  fastClient,
  type RecordingConsole,
  recordingConsole,
} from "./helpers.ts";

export const TINY_REPO = {
  ".gitignore": ".env\n",
  "calc.py": "def add(a, b):\n    return a + b\n",
  "test_calc.py": "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
};
export const FAST = ["llama3.1:8b-instruct-q2_K", "deepseek-coder:6.7b-instruct-q2_K"];

export interface Scenario {
  standIn?: StandInOptions | false;
  probe?: Parameters<typeof fakeProbe>[0];
  launcher?: FakeLauncher;
  console?: RecordingConsole;
  profile?: ProfileName;
  yes?: boolean;
  force?: boolean;
  /** LLM_BASE when there is no stand-in. */
  llmBase?: string;
  files?: Record<string, string>;
  serverWaitMs?: number;
}

export interface Result {
  outcome: SetupOutcome;
  /** What runSetup threw, if it threw (then `outcome` is a stand-in with exit code -1). */
  error?: unknown;
  out: string;
  console: RecordingConsole;
  standIn?: StandIn;
  repo: PyRepo;
  launcher: FakeLauncher;
}

export async function setup(scenario: Scenario, check: (r: Result) => Promise<void> | void): Promise<void> {
  const standIn = scenario.standIn === false ? undefined : await startStandIn(scenario.standIn ?? {});
  const repo = await createPyRepo({ files: { ...TINY_REPO, ...scenario.files } });
  const console = scenario.console ?? recordingConsole();
  const launcher = scenario.launcher ?? fakeLauncher("0.9.0");
  try {
    const env = { LLM_BASE: standIn?.url ?? scenario.llmBase ?? "http://127.0.0.1:9" };
    const config = await configFor(repo.dir, env);
    const catalog = loadCatalog();
    let error: unknown;
    const outcome = await runSetup(
      {
        config,
        catalog,
        profile: catalog.profiles[scenario.profile ?? "fast"],
        yes: scenario.yes ?? true,
        force: scenario.force ?? false,
      },
      {
        console,
        probe: fakeProbe(scenario.probe),
        launcher,
        client: fastClient(config.llmBase),
        doctor: (c) => runDoctor(c, { skipPrompt: true }),
        reloadConfig: (c) => configFor(c.repoPath, env),
        serverWaitMs: scenario.serverWaitMs ?? 5_000,
      },
    ).catch((err) => {
      error = err;
      return { exitCode: -1 } as SetupOutcome;
    });
    await check({ outcome, error, out: console.text(), console, standIn, repo, launcher });
  } finally {
    await repo.cleanup();
    await standIn?.close();
  }
}

export async function readEnv(repo: PyRepo): Promise<Record<string, string> | undefined> {
  try {
    return parseDotenv(await Deno.readTextFile(join(repo.dir, ".env")));
  } catch {
    return undefined;
  }
}
