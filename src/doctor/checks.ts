/**
 * The smoke checks behind `sentries doctor` (and the end of `sentries setup`).
 * Each check reports ok / warn / fail with a detail and a fix hint; none throws.
 */
import type { Config } from "../config/load.ts";
import { describeError, SentriesError } from "../errors.ts";
import { type LlmClient, sameModelName } from "../llm/mod.ts";
import { llmClientFor } from "../llm/for_config.ts";
import { createGitHub } from "../github/mod.ts";
import { Git } from "../git/git.ts";
import { chooseWorktreeLocation, machineFacts } from "../git/worktree_location.ts";
import { ProgramNotPermittedError, runProgram } from "../proc/run.ts";
import { describeInterpreter, displayCommand, findProjectEnvironment, interpreterLine } from "../pytest/environment.ts";

export type CheckStatus = "ok" | "warn" | "fail";

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  hint?: string;
  durationMs?: number;
}

export interface DoctorOptions {
  /** Skip the "each model answers a tiny prompt" step (slow on a cold model). */
  skipPrompt?: boolean;
  onCheck?: (result: CheckResult) => void;
}

function failFrom(name: string, err: unknown, fallbackHint?: string): CheckResult {
  const hint = err instanceof SentriesError ? err.hint : fallbackHint;
  const detail = err instanceof SentriesError ? err.message : describeError(err);
  return { name, status: "fail", detail, hint: hint ?? fallbackHint };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, Math.round(performance.now() - start)];
}

async function checkLlm(config: Config, llm: LlmClient, options: DoctorOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let installed: string[];
  try {
    const [version, ms] = await timed(() => llm.version());
    const models = await llm.listModels();
    installed = models.map((m) => m.name);
    const what = llm.api === "ollama" ? `Ollama ${version ?? "(version unknown)"}` : "OpenAI-style server";
    results.push({ name: "LLM endpoint", status: "ok", detail: `${what} at ${llm.baseUrl}`, durationMs: ms });
  } catch (err) {
    results.push(failFrom("LLM endpoint", err, `start it with \`ollama serve\` or set LLM_BASE`));
    return results;
  }
  const roles: Array<[string, string]> = [["MODEL_PLAN", config.modelPlan], ["MODEL_PATCH", config.modelPatch]];
  const seen = new Set<string>();
  for (const [role, model] of roles) {
    const present = installed.some((name) => sameModelName(name, model));
    if (!present) {
      results.push({
        name: `${role} installed`,
        status: "fail",
        detail: `${model} is not installed on ${llm.baseUrl}`,
        hint: llm.api === "ollama" ? `ollama pull ${model}` : `load ${model} in your model server`,
      });
      continue;
    }
    results.push({ name: `${role} installed`, status: "ok", detail: model });
    if (options.skipPrompt || seen.has(model)) continue;
    seen.add(model);
    try {
      const [reply, ms] = await timed(() =>
        llm.chat(model, [{ role: "user", content: "Reply with the single word OK." }], {
          numPredict: 8,
          temperature: 0,
          purpose: "doctor",
        })
      );
      const said = reply.content.trim().slice(0, 40) || "(empty reply)";
      results.push({ name: `${role} answers`, status: "ok", detail: `${model} replied "${said}"`, durationMs: ms });
    } catch (err) {
      results.push(failFrom(`${role} answers`, err));
    }
  }
  return results;
}

async function checkGit(repoPath: string): Promise<CheckResult[]> {
  try {
    const version = await runProgram("git", ["--version"]);
    const results: CheckResult[] = [{ name: "git", status: "ok", detail: version.stdout.trim() }];
    const inside = await runProgram("git", ["rev-parse", "--show-toplevel"], { cwd: repoPath });
    results.push(
      inside.code === 0 ? { name: "git repository", status: "ok", detail: inside.stdout.trim() } : {
        name: "git repository",
        status: "warn",
        detail: `${repoPath} is not inside a git repository`,
        hint: "run sentries in a git checkout, or pass --repo-path",
      },
    );
    return results;
  } catch (err) {
    return [failFrom("git", err, "install git (https://git-scm.com/downloads)")];
  }
}

/** Where `sentries tests` and `docs` would check the commit out (the `worktree_dir` setting). */
async function checkWorktrees(config: Config): Promise<CheckResult> {
  try {
    const where = await chooseWorktreeLocation(config.worktreeDir, machineFacts(new Git(config.repoPath), "HEAD"));
    return { name: "temporary worktrees", status: "ok", detail: where.why };
  } catch (err) {
    return failFrom("temporary worktrees", err);
  }
}

async function checkPytest(repoPath: string, command?: string[]): Promise<CheckResult> {
  // The same environment `sentries tests` uses: the configured command, VIRTUAL_ENV, .venv/ or venv/, PATH.
  const environment = findProjectEnvironment(repoPath, command);
  const attempts = environment.command ? [environment.command] : [["pytest"], ["python3", "-m", "pytest"]];
  for (const attempt of attempts) {
    let interpreter;
    try {
      interpreter = await describeInterpreter(attempt, environment.source, repoPath);
    } catch (err) {
      if (err instanceof ProgramNotPermittedError) return failFrom("pytest", err);
      throw err;
    }
    if (interpreter.pytestVersion) return { name: "pytest", status: "ok", detail: interpreterLine(interpreter) };
  }
  return {
    name: "pytest",
    status: "fail",
    detail: `pytest is not runnable in ${repoPath} (tried ${
      attempts.map((a) => "`" + displayCommand(a) + "`").join(", ")
    })`,
    hint: environment.python
      ? `install it in the project's environment: ${environment.python} -m pip install pytest`
      : "install it in the project's environment: python3 -m pip install pytest",
  };
}

async function checkGitHub(config: Config): Promise<CheckResult> {
  if (!config.githubToken) {
    return {
      name: "GitHub",
      status: "ok",
      detail: "no GITHUB_TOKEN set: fixes stay on local branches",
      hint: "set GITHUB_TOKEN and GITHUB_REPOSITORY to open pull requests",
    };
  }
  if (!config.githubRepository) {
    return {
      name: "GitHub",
      status: "fail",
      detail: "GITHUB_TOKEN is set but GITHUB_REPOSITORY is not",
      hint: "set GITHUB_REPOSITORY=owner/name",
    };
  }
  try {
    const github = createGitHub({
      token: config.githubToken,
      repository: config.githubRepository,
      apiUrl: config.githubApiUrl,
    });
    const [access, ms] = await timed(() => github.checkAccess());
    return {
      name: "GitHub",
      status: access.canPush ? "ok" : "warn",
      detail: `${access.repoFullName} reachable (default branch ${access.defaultBranch})` +
        (access.canPush ? "" : "; the token cannot push"),
      hint: access.canPush ? undefined : "give the token contents: write and pull-requests: write",
      durationMs: ms,
    };
  } catch (err) {
    return failFrom("GitHub", err);
  }
}

export async function runDoctor(config: Config, options: DoctorOptions = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const emit = (list: CheckResult[]) => {
    for (const r of list) {
      results.push(r);
      options.onCheck?.(r);
    }
  };
  emit(await checkLlm(config, llmClientFor(config), options));
  emit(await checkGit(config.repoPath));
  emit([await checkWorktrees(config)]);
  emit([await checkPytest(config.repoPath, config.pytestCommand)]);
  emit([await checkGitHub(config)]);
  return results;
}
