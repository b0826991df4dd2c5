/**
 * The properties every workflow file must keep, as pure checks over the parsed YAML, so a
 * workflow cannot silently lose its safety (a new trigger, a broader token, an unverified
 * download) without a test failing. Returns human-readable violations; none means it passes.
 */

type Yaml = Record<string, unknown>;

export interface Step {
  uses?: string;
  run?: string;
  with?: Yaml;
  env?: Yaml;
}

export interface Job {
  "runs-on"?: unknown;
  permissions?: unknown;
  env?: Yaml;
  steps?: Step[];
}

export interface Workflow {
  name?: string;
  on?: unknown;
  permissions?: unknown;
  concurrency?: unknown;
  env?: Yaml;
  jobs?: Record<string, Job>;
}

/** Scopes a workflow may write to; everything else stays read or none. */
const WRITABLE_SCOPES = new Set(["contents", "pull-requests"]);
const SHA_PINNED = /^[^@\s]+@[0-9a-f]{40}$/;
/**
 * The examples' placeholder for this project's own action (`uses: OWNER/sentries@v1`): it cannot run until
 * OWNER is replaced, and the examples say to pin it to the release's commit SHA then.
 */
const OWN_ACTION_PLACEHOLDER = /^OWNER\/sentries@v\d+$/;
/** A step that uses the Sentries action (the placeholder, a pinned copy, or `./` in this repository). */
const SENTRIES_ACTION = /^(?:\.\/?$|[^@\s]+\/sentries@)/;
/** A `sentries` command that works on the repository (not doctor/models/--version). */
const SENTRIES_REPO_COMMAND = /(?:^|[\s;&|(/])sentries\s+(tests|docs|cleanup|status)\b/m;
const DOWNLOAD =
  /\bcurl\b[^\n]*(?:\s-[A-Za-z]*[oO][A-Za-z]*\b|--output\b|--remote-name\b)|\bwget\b|\bgh\s+release\s+download\b/;
const VERIFY = /\b(?:sha256sum|shasum\s+-a\s*256)\b[^\n]*\s-c\b/;
const MAKE_EXECUTABLE = /\bchmod\s+\+?[0-7]*x/;

export function triggers(on: unknown): string[] {
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.map(String);
  if (on && typeof on === "object") return Object.keys(on);
  return [];
}

function jobs(workflow: Workflow): [string, Job][] {
  return Object.entries(workflow.jobs ?? {});
}

function checkPermissions(where: string, permissions: unknown, problems: string[]): void {
  if (typeof permissions === "string") {
    problems.push(`${where}: permissions must list scopes, not "${permissions}"`);
    return;
  }
  if (!permissions || typeof permissions !== "object") return;
  for (const [scope, level] of Object.entries(permissions as Yaml)) {
    if (!["read", "write", "none"].includes(String(level))) {
      problems.push(`${where}: permission ${scope}: ${String(level)} is not read, write or none`);
    } else if (level === "write" && !WRITABLE_SCOPES.has(scope)) {
      problems.push(`${where}: ${scope}: write is not needed by any workflow here`);
    }
  }
}

/** Whether a step runs sentries against the repository: a `run:` script, or the action with such a command. */
export function runsRepoCommand(step: Step): boolean {
  if (SENTRIES_REPO_COMMAND.test(step.run ?? "")) return true;
  const command = step.with?.command;
  return SENTRIES_ACTION.test(step.uses ?? "") && ["tests", "docs", "cleanup", "status"].includes(String(command));
}

/** The job's scripts in step order, as one text, to compare positions of commands. */
function jobScript(job: Job): string {
  return (job.steps ?? []).map((step) => step.run ?? "").join("\n");
}

function firstIndexAfter(text: string, pattern: RegExp, from: number): number {
  const match = new RegExp(pattern.source, pattern.flags.replace("g", "") + "g");
  match.lastIndex = from;
  const found = match.exec(text);
  return found ? found.index : -1;
}

/** Whether a workflow runs sentries against the repository (a "sentry workflow"). */
export function isSentryWorkflow(workflow: Workflow): boolean {
  return jobs(workflow).some(([, job]) => (job.steps ?? []).some(runsRepoCommand));
}

export function checkWorkflow(workflow: Workflow): string[] {
  const problems: string[] = [];
  const on = triggers(workflow.on);
  if (on.length === 0) problems.push("no `on:` triggers");
  if (on.includes("pull_request_target")) problems.push("uses pull_request_target");
  if (workflow.permissions === undefined) problems.push("no top-level permissions block");
  checkPermissions("workflow", workflow.permissions, problems);
  if (jobs(workflow).length === 0) problems.push("no jobs");

  for (const [name, job] of jobs(workflow)) {
    checkPermissions(`job ${name}`, job.permissions, problems);
    const steps = job.steps ?? [];
    for (const step of steps) {
      const uses = step.uses;
      if (
        uses && !uses.startsWith("./") && !uses.startsWith("docker://") && !SHA_PINNED.test(uses) &&
        !OWN_ACTION_PLACEHOLDER.test(uses)
      ) {
        problems.push(`job ${name}: ${uses} is not pinned to a commit SHA`);
      }
      if (step.run && /\$\{\{\s*(?:github\.event\.|github\.head_ref)/.test(step.run)) {
        problems.push(`job ${name}: a run script splices github.event/head_ref in; pass it through env`);
      }
    }

    const script = jobScript(job);
    const download = script.search(DOWNLOAD);
    if (download >= 0) {
      const verify = firstIndexAfter(script, VERIFY, download);
      const execute = [MAKE_EXECUTABLE, /(?:^|[\s;&|(/])sentries\s/m]
        .map((pattern) => firstIndexAfter(script, pattern, download))
        .filter((index) => index >= 0);
      if (verify < 0) problems.push(`job ${name}: downloads without a sha256sum -c check`);
      else if (execute.some((index) => index < verify)) {
        problems.push(`job ${name}: runs or chmods a download before its sha256sum -c check`);
      }
    }

    const repoCommand = steps.findIndex(runsRepoCommand);
    if (repoCommand >= 0) {
      const checkout = steps.findIndex((step) => step.uses?.startsWith("actions/checkout@"));
      if (checkout < 0 || checkout > repoCommand) problems.push(`job ${name}: runs sentries without a checkout first`);
      else if (![0, "0"].includes(steps[checkout].with?.["fetch-depth"] as number | string)) {
        problems.push(`job ${name}: checkout needs fetch-depth: 0 (sentries reads history and branches)`);
      }
    }
  }

  if (isSentryWorkflow(workflow)) checkSentryConcurrency(workflow, on, problems);
  return problems;
}

function checkSentryConcurrency(workflow: Workflow, on: string[], problems: string[]): void {
  const concurrency = workflow.concurrency;
  if (!concurrency || typeof concurrency !== "object") {
    problems.push("sentry workflow without a concurrency block");
    return;
  }
  const { group, "cancel-in-progress": cancel } = concurrency as Yaml;
  if (typeof group !== "string" || !group.startsWith("sentry-")) {
    problems.push(`concurrency group must start with "sentry-", got ${JSON.stringify(group)}`);
  } else {
    if (on.includes("push") && !group.includes("github.ref")) {
      problems.push("concurrency group must include github.ref");
    }
    if (on.includes("pull_request") && !group.includes("github.event.pull_request.number")) {
      problems.push("concurrency group must include the pull request number");
    }
  }
  if (cancel !== false) problems.push("sentry workflow must set cancel-in-progress: false (a run may be mid-push)");
}

/** The env a step sees: workflow, then job, then step. */
export function stepEnv(workflow: Workflow, job: Job, step: Step): Yaml {
  return { ...workflow.env, ...job.env, ...step.env };
}
