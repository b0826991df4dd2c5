import assert from "node:assert/strict";
import { basename, join } from "node:path";
import YAML from "yaml";
import { PROJECT_ROOT } from "../support/cli.ts";
import { checkWorkflow, isSentryWorkflow, type Job, type Step, triggers, type Workflow } from "./workflow_rules.ts";

async function yamlFiles(folder: string): Promise<string[]> {
  const files: string[] = [];
  try {
    for await (const entry of Deno.readDir(join(PROJECT_ROOT, folder))) {
      if (entry.isFile && /\.ya?ml$/.test(entry.name)) files.push(join(PROJECT_ROOT, folder, entry.name));
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return files.sort();
}

async function loadWorkflow(path: string): Promise<Workflow> {
  return YAML.parse(await Deno.readTextFile(path)) as Workflow;
}

const EXAMPLES = await yamlFiles("examples/workflows");
const OURS = await yamlFiles(".github/workflows");

Deno.test("every workflow file parses and keeps its safety properties", async () => {
  assert.ok(EXAMPLES.length >= 2 && OURS.length >= 2, `found ${EXAMPLES.length} examples, ${OURS.length} of ours`);
  for (const path of [...EXAMPLES, ...OURS]) {
    const text = await Deno.readTextFile(path);
    const uncommented = text.split("\n").filter((line) => !/^\s*#/.test(line)).join("\n");
    assert.doesNotMatch(uncommented, /pull_request_target|write-all/, path);
    assert.deepEqual(checkWorkflow(await loadWorkflow(path)), [], path);
  }
});

function findStep(workflow: Workflow, pattern: RegExp): { job: Job; step: Step } {
  for (const job of Object.values(workflow.jobs ?? {})) {
    const step = (job.steps ?? []).find((s) => pattern.test(s.run ?? ""));
    if (step) return { job, step };
  }
  throw new Error(`no step runs ${pattern}`);
}

function findActionStep(workflow: Workflow, command: string): { job: Job; step: Step } {
  for (const job of Object.values(workflow.jobs ?? {})) {
    const step = (job.steps ?? []).find((s) => s.uses?.endsWith("/sentries@v1") && s.with?.command === command);
    if (step) return { job, step };
  }
  throw new Error(`no step uses the sentries action with command: ${command}`);
}

Deno.test("the user workflows: self-hosted Ollama runner, bot-sized token, the action with models and token", async () => {
  const expected: Record<string, { on: string[]; command: string }> = {
    "test-sentry.yml": { on: ["push", "schedule", "workflow_dispatch"], command: "tests" },
    "doc-sentry.yml": { on: ["pull_request"], command: "docs" },
  };
  for (const [name, want] of Object.entries(expected)) {
    const workflow = await loadWorkflow(join(PROJECT_ROOT, "examples/workflows", name));
    assert.deepEqual(triggers(workflow.on), want.on, name);
    assert.deepEqual(workflow.permissions, { contents: "write", "pull-requests": "write" }, name);
    assert.ok(isSentryWorkflow(workflow), name);
    const { job, step } = findActionStep(workflow, want.command);
    assert.equal(step.uses, "OWNER/sentries@v1", `${name}: the placeholder convention`);
    assert.deepEqual(job["runs-on"], ["self-hosted", "ollama"], name);
    for (const key of ["model-plan", "model-patch", "llm-base"]) assert.ok(step.with?.[key], `${name}: ${key}`);
    assert.equal(step.with?.token, "${{ secrets.GITHUB_TOKEN }}", name);
  }
});

Deno.test("no example copies the install script any more: every sentries step uses the action", async () => {
  for (const path of EXAMPLES) {
    const workflow = await loadWorkflow(path);
    const steps = Object.values(workflow.jobs ?? {}).flatMap((job) => job.steps ?? []);
    assert.ok(steps.some((s) => s.uses === "OWNER/sentries@v1"), path);
    for (const step of steps) {
      assert.doesNotMatch(step.run ?? "", /(?:^|[\s;&|(/])sentries\s|\bcurl\b|releases\/download/, path);
    }
  }
});

Deno.test("test-sentry hands the action the JUnit report its own pytest step writes", async () => {
  const workflow = await loadWorkflow(join(PROJECT_ROOT, "examples/workflows/test-sentry.yml"));
  const { job, step } = findActionStep(workflow, "tests");
  const pytest = (job.steps ?? []).find((s) => /--junitxml=(\S+)/.test(s.run ?? ""));
  assert.ok(pytest, "a pytest step writes a JUnit report");
  assert.equal(step.with?.["junit-xml"], /--junitxml=(\S+)/.exec(pytest.run ?? "")![1]);
  assert.equal((pytest as Step & { "continue-on-error"?: boolean })["continue-on-error"], true);
  assert.ok((job.steps ?? []).indexOf(pytest) < (job.steps ?? []).indexOf(step));
});

Deno.test("doc-sentry skips fork pull requests, so fork code never reaches the self-hosted runner", async () => {
  const workflow = await loadWorkflow(join(PROJECT_ROOT, "examples/workflows/doc-sentry.yml"));
  const job = Object.values(workflow.jobs ?? {})[0] as Job & { if?: string };
  assert.match(String(job.if), /github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
});

Deno.test("release: v* tags, both targets, smoke test, checksums uploaded, sizes printed", async () => {
  const workflow = await loadWorkflow(join(PROJECT_ROOT, ".github/workflows/release.yml"));
  assert.deepEqual((workflow.on as { push: { tags: string[] } }).push.tags, ["v*"]);
  const script = Object.values(workflow.jobs ?? {}).flatMap((job) => job.steps ?? []).map((s) => s.run ?? "").join(
    "\n",
  );
  for (const needle of ["x86_64-unknown-linux-gnu", "aarch64-apple-darwin", "task compile", "ls -l dist"]) {
    assert.ok(script.includes(needle), needle);
  }
  for (
    const smoke of [/"\$bin" --version/, /"\$bin" --help/, /"\$bin" doctor --json/, /scripts\/standin\.ts --port 11434/]
  ) {
    assert.match(script, smoke);
  }
  assert.match(script, /gh release upload[^\n]*(\\\n[^\n]*)*SHA256SUMS/);
  assert.deepEqual(workflow.permissions, { contents: "read" }, "write only where the upload happens");
});

Deno.test("ci runs .ci/run on push and pull_request", async () => {
  const workflow = await loadWorkflow(join(PROJECT_ROOT, ".github/workflows/ci.yml"));
  assert.deepEqual(triggers(workflow.on).sort(), ["pull_request", "push"]);
  assert.match(findStep(workflow, /\.ci\/run/).step.run ?? "", /^bash \.ci\/run$/m);
});

// The rules themselves must be able to fail.
const BAD = `
on: [pull_request_target]
permissions: write-all
concurrency: { group: "x", cancel-in-progress: true }
jobs:
  bot:
    runs-on: ubuntu-latest
    permissions: { contents: write, id-token: write }
    steps:
      - uses: actions/checkout@v4
      - run: |
          curl -fsSLO https://example.invalid/sentries
          chmod +x sentries
          ./sentries tests
          echo "\${{ github.event.pull_request.title }}"
`;

Deno.test("the rules catch each unsafe pattern", () => {
  const problems = checkWorkflow(YAML.parse(BAD) as Workflow);
  const expected = [
    /pull_request_target/,
    /permissions must list scopes, not "write-all"/,
    /id-token: write is not needed/,
    /actions\/checkout@v4 is not pinned/,
    /splices github\.event/,
    /downloads without a sha256sum -c check/,
    /fetch-depth: 0/,
    /concurrency group must start with "sentry-"/,
    /cancel-in-progress: false/,
  ];
  for (const pattern of expected) assert.ok(problems.some((p) => pattern.test(p)), `${pattern} in ${problems}`);
});

Deno.test("the rules catch a binary that runs before its checksum is checked", () => {
  const workflow = YAML.parse(`
on: push
permissions: { contents: read }
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - run: wget https://example.invalid/sentries && chmod +x sentries
      - run: sha256sum -c SHA256SUMS
`) as Workflow;
  assert.deepEqual(checkWorkflow(workflow), ["job j: runs or chmods a download before its sha256sum -c check"]);
});

Deno.test("the rules: the action's placeholder is allowed, other unpinned actions are not; action steps count", () => {
  const workflow = YAML.parse(`
on: push
permissions: { contents: read }
concurrency: { group: "sentry-\${{ github.ref }}", cancel-in-progress: false }
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - uses: OWNER/sentries@v1
        with: { command: tests }
      - uses: someone/sentries@v1
      - uses: OWNER/other@v1
`) as Workflow;
  assert.ok(isSentryWorkflow(workflow));
  assert.deepEqual(checkWorkflow(workflow), [
    "job j: someone/sentries@v1 is not pinned to a commit SHA",
    "job j: OWNER/other@v1 is not pinned to a commit SHA",
    "job j: runs sentries without a checkout first",
  ]);
});

Deno.test("workflow files are named for what they run", () => {
  for (const path of EXAMPLES) assert.match(basename(path), /^[a-z-]+\.yml$/);
});
